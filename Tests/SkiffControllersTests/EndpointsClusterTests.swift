import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffControllers

/// The endpoints controller against a real API server, beside the slice
/// controller, as in kube-controller-manager.
@Suite(.serialized) struct EndpointsClusterTests {
    @Test func endpointsMirrorTheSelectedPods() async throws {
        try await TestCluster.with(controllers: ["endpoints", "endpointslice"]) { cluster in
            try await cluster.client.create(EndpointFixtures.node("node-a").forCreate())
            var service = EndpointFixtures.service().forCreate()
            service.metadata.labels = ["team": "blue"]
            try await cluster.client.create(service)
            try await cluster.runPod("web-1", ip: "10.42.0.1")
            try await cluster.runPod("web-2", ip: "10.42.0.2", ready: false)

            func endpoints() async throws -> Endpoints? {
                do { return try await cluster.client.get(Endpoints.self, "web", namespace: "default") } catch {
                    if error.isNotFound { return nil }
                    throw error
                }
            }
            #expect(try await eventually {
                let subset = try await endpoints()?.subsets?.first
                return subset?.addresses?.map(\.ip) == ["10.42.0.1"] && subset?.notReadyAddresses?.map(\.ip) == ["10.42.0.2"]
            })
            let mirrored = try #require(try await endpoints())
            #expect(mirrored.metadata.labels == ["team": "blue"])
            #expect(mirrored.subsets?.first?.ports?.map(\.port) == [8080])
            #expect(mirrored.subsets?.first?.addresses?.first?.targetRef?.name == "web-1")
            #expect(mirrored.metadata.annotations?["endpoints.kubernetes.io/over-capacity"] == nil)

            // Ready now: both addresses ready; the slices agree.
            try await cluster.setPodStatus("web-2", ip: "10.42.0.2", ready: true)
            #expect(try await eventually {
                try await endpoints()?.subsets?.first?.addresses?.map(\.ip) == ["10.42.0.1", "10.42.0.2"]
            })
            #expect(try await eventually {
                try await cluster.endpoints(of: "web").allSatisfy { $0.conditions.ready == true }
            })

            // Deleted by someone: made again. The service goes: so does its Endpoints object.
            try await cluster.client.delete(Endpoints.self, "web", namespace: "default")
            #expect(try await eventually { try await endpoints()?.subsets?.first?.addresses?.count == 2 })
            try await cluster.client.delete(Service.self, "web", namespace: "default")
            #expect(try await eventually { try await endpoints() == nil })
        }
    }
}
