import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffControllers

/// A controller manager that restarts (new caches, no memory of its expectations)
/// converges on what changed while it was down, and creates no pod twice.
@Suite(.serialized) struct ControllerRestartTests {
    static let controllers: Set<String> = [
        "replicaset", "replicationcontroller", "deployment", "job", "statefulset", "garbagecollector",
    ]

    /// The uids of the live pods each selector picks.
    func livePods(_ cluster: TestCluster, _ selector: String) async throws -> Set<String> {
        Set(try await cluster.pods(selector).filter { $0.metadata.deletionTimestamp == nil }.compactMap(\.metadata.uid))
    }

    @Test func convergesAfterARestartWithoutDuplicatePods() async throws {
        try await TestCluster.with(controllers: Self.controllers) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            try await cluster.client.create(
                Manifests.deployment("web", replicas: 3, image: "nginx:1", maxSurge: .int(1), maxUnavailable: .int(0)))
            try await cluster.client.create(ReplicationControllerClusterTests.controller("legacy", replicas: 2))
            try await cluster.client.create(Manifests.job("batch", completions: 4, parallelism: 2))
            try await cluster.client.create(Manifests.statefulSet("db", replicas: 2))
            let jobPods = "batch.kubernetes.io/job-name=batch"
            #expect(try await eventually {
                let counts = [
                    try await livePods(cluster, "app=web").count, try await livePods(cluster, "app=legacy").count,
                    try await livePods(cluster, jobPods).count, try await livePods(cluster, "app=db").count,
                ]
                return counts == [3, 2, 2, 2]
            })
            let web = try await livePods(cluster, "app=web")
            let legacy = try await livePods(cluster, "app=legacy")
            let batch = try await livePods(cluster, jobPods)
            let db = try await livePods(cluster, "app=db")

            // While the manager is down: a scale-up, and a pod lost.
            await cluster.stopControllerManager()
            try await cluster.client.patch(
                Deployment.self, "web", namespace: "default", .merge, body: Array(#"{"spec":{"replicas":5}}"#.utf8))
            let lost = try #require(try await cluster.pods("app=legacy").first)
            try await cluster.client.delete(Pod.self, lost.metadata.name ?? "", namespace: "default")
            try cluster.startControllerManager()

            #expect(try await eventually {
                let counts = [try await livePods(cluster, "app=web").count, try await livePods(cluster, "app=legacy").count]
                return counts == [5, 2]
            })
            // Give a controller that would create twice the time to do it.
            try await Task.sleep(for: .seconds(1))
            let webAfter = try await livePods(cluster, "app=web")
            let legacyAfter = try await livePods(cluster, "app=legacy")
            #expect(webAfter.count == 5 && web.isSubset(of: webAfter))
            #expect(legacyAfter.count == 2 && legacyAfter.subtracting(legacy).count == 1)
            #expect(try await livePods(cluster, jobPods) == batch)
            #expect(try await livePods(cluster, "app=db") == db)
            #expect(try await cluster.replicaSets().count == 1)
        }
    }
}
