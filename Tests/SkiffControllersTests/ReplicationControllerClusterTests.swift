import Foundation
import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffControllers

/// The legacy ReplicationController, kept by the replica controller as a
/// ReplicaSet is: against the real API server, the tests playing the kubelet.
@Suite(.serialized) struct ReplicationControllerClusterTests {
    static let controllers: Set<String> = ["replicationcontroller", "replicaset", "garbagecollector"]

    /// A controller as `kubectl create` sends one written the old way: no selector,
    /// which the API server defaults from the template's labels.
    static func controller(_ name: String, replicas: Int32) -> ReplicationController {
        var controller = ReplicationController()
        controller.metadata.name = name
        controller.metadata.namespace = "default"
        controller.spec.replicas = replicas
        var template = PodTemplateSpec()
        template.metadata.labels = ["app": name]
        template.spec.containers = [Manifests.container(image: "nginx:1")]
        controller.spec.template = template
        return controller
    }

    func status(_ cluster: TestCluster, _ name: String) async throws -> ReplicationControllerStatus {
        try await cluster.client.get(ReplicationController.self, name, namespace: "default").status
    }

    @Test func keepsTheReplicasItsDefaultedSelectorMatchesAndReportsThem() async throws {
        try await TestCluster.with(controllers: Self.controllers) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            let controller = try await cluster.client.create(Self.controller("web", replicas: 3))
            #expect(controller.spec.selector == ["app": "web"])
            #expect(try await eventually { try await cluster.pods("app=web").count == 3 })
            for pod in try await cluster.pods("app=web") {
                let owner = try #require(pod.metadata.ownerReferences?.first)
                #expect(owner.kind == "ReplicationController" && owner.apiVersion == "v1")
                #expect(owner.uid == controller.metadata.uid && owner.controller == true)
            }
            #expect(try await eventually {
                let status = try await status(cluster, "web")
                return status.replicas == 3 && status.readyReplicas == 3 && status.availableReplicas == 3
                    && status.fullyLabeledReplicas == 3 && status.observedGeneration == 1
            })

            // A deleted pod is replaced; a scale-down deletes the extra pods.
            let victim = try #require(try await cluster.pods("app=web").first?.metadata.name)
            try await cluster.client.delete(Pod.self, victim, namespace: "default")
            #expect(try await eventually {
                let names = try await cluster.pods("app=web").map { $0.metadata.name ?? "" }
                return names.count == 3 && !names.contains(victim)
            })
            try await cluster.client.patch(
                ReplicationController.self, "web", namespace: "default", .merge,
                body: Array(#"{"spec":{"replicas":1}}"#.utf8))
            #expect(try await eventually { try await cluster.pods("app=web").count == 1 })
            #expect(try await eventually { try await status(cluster, "web").observedGeneration == 2 })
        }
    }

    @Test func leavesPodsOfAReplicaSetAloneAndAdoptsOrphans() async throws {
        try await TestCluster.with(controllers: Self.controllers) { cluster in
            // The replication controller's selector (app=web) matches the replica set's
            // pods too: it keeps to its own and the orphan, and takes none of the set's.
            let set = try await cluster.client.create(
                Manifests.replicaSet("web-rs", replicas: 2, labels: ["app": "web", "tier": "rs"]))
            #expect(try await eventually { try await cluster.pods("app=web").count == 2 })
            var orphan = Pod()
            orphan.metadata.name = "orphan"
            orphan.metadata.namespace = "default"
            orphan.metadata.labels = ["app": "web"]
            orphan.spec.containers = [Manifests.container(image: "nginx:1")]
            try await cluster.client.create(orphan)

            let controller = try await cluster.client.create(Self.controller("web", replicas: 2))
            #expect(try await eventually {
                let pods = try await cluster.pods("app=web")
                let ownedByController = pods.filter { $0.metadata.controllerReference?.uid == controller.metadata.uid }
                let ownedBySet = pods.filter { $0.metadata.controllerReference?.uid == set.metadata.uid }
                return ownedByController.count == 2 && ownedBySet.count == 2 && pods.count == 4
            })
            let adopted = try await cluster.client.get(Pod.self, "orphan", namespace: "default")
            #expect(adopted.metadata.controllerReference?.uid == controller.metadata.uid)
        }
    }

    @Test(.enabled(if: Kubectl.path != nil, "kubectl is not on PATH"))
    func kubectlScalesListsAndDeletesAReplicationController() async throws {
        try await TestCluster.with(controllers: Self.controllers) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            try await cluster.client.create(Self.controller("web", replicas: 1))
            let scaled = try await Kubectl.run(port: cluster.port, ["scale", "rc", "web", "--replicas=3"])
            #expect(scaled.status == 0, "\(scaled.stderr)")
            #expect(scaled.stdout == "replicationcontroller/web scaled\n")
            #expect(try await eventually { try await status(cluster, "web").readyReplicas == 3 })

            let listed = try await Kubectl.run(port: cluster.port, ["get", "rc", "web", "--no-headers"])
            #expect(listed.status == 0, "\(listed.stderr)")
            let columns = listed.stdout.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns.prefix(4) == ["web", "3", "3", "3"], "\(listed.stdout)")

            let deleted = try await Kubectl.run(port: cluster.port, ["delete", "rc", "web"])
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(deleted.stdout == "replicationcontroller \"web\" deleted\n")
            #expect(try await eventually { try await cluster.pods("app=web").isEmpty })
        }
    }
}
