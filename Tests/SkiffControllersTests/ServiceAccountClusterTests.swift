import SkiffAPI
import SkiffClient
import Testing

@Suite struct ServiceAccountClusterTests {
    @Test func everyNamespaceGetsADefaultAccountBackWhenDeleted() async throws {
        try await TestCluster.with(controllers: ["serviceaccount"]) { cluster in
            var namespace = Namespace()
            namespace.metadata.name = "team-a"
            try await cluster.client.create(namespace)
            func account(_ namespace: String) async throws -> ServiceAccount? {
                do { return try await cluster.client.get(ServiceAccount.self, "default", namespace: namespace) } catch where error.isNotFound {
                    return nil
                }
            }
            #expect(try await eventually { try await account("team-a") != nil })
            #expect(try await eventually { try await account("kube-system") != nil })
            let first = try #require(try await account("team-a"))
            try await cluster.client.delete(ServiceAccount.self, "default", namespace: "team-a")
            #expect(try await eventually {
                guard let again = try await account("team-a") else { return false }
                return again.metadata.uid != first.metadata.uid
            })
        }
    }
}
