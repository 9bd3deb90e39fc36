import Foundation
import Logging
import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffKubelet

/// `skiff agent --drain`'s drain against the real API server in-process; the
/// test plays the kubelet, which ends evicted pods once they are terminating.
@Suite struct NodeDrainTests {
    func pod(_ name: String, node: String, ownerKind: String? = nil) -> Pod {
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.spec.nodeName = node
        var container = Container()
        container.name = "app"
        container.image = "busybox:1"
        pod.spec.containers = [container]
        if let ownerKind {
            var owner = OwnerReference()
            owner.apiVersion = "apps/v1"
            owner.kind = ownerKind
            owner.name = "owner"
            owner.uid = UUID().uuidString
            owner.controller = true
            pod.metadata.ownerReferences = [owner]
        }
        return pod
    }

    /// Force-deletes terminating pods, as a kubelet confirms a stopped pod.
    func playKubelet(_ client: APIClient) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                for pod in (try? await client.list(Pod.self, namespace: "default").items) ?? []
                where pod.metadata.deletionTimestamp != nil {
                    var now = DeleteOptions()
                    now.gracePeriodSeconds = 0
                    try? await client.delete(Pod.self, pod.metadata.name ?? "", namespace: "default", options: now)
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    @Test func cordonsAndEvictsAllButDaemonSetPodsThenReportsDrained() async throws {
        try await TestAPIServer.with { server in
            var node = Node()
            node.metadata.name = "n1"
            try await server.client.create(node)
            try await server.client.create(pod("web", node: "n1", ownerKind: "ReplicaSet"))
            try await server.client.create(pod("lonely", node: "n1"))
            try await server.client.create(pod("agent", node: "n1", ownerKind: "DaemonSet"))
            try await server.client.create(pod("elsewhere", node: "n2"))
            let kubelet = playKubelet(server.client)
            defer { kubelet.cancel() }

            let drained = await NodeDrain(client: try server.newClient(), nodeName: "n1", logger: Logger(label: "test"))
                .run(timeout: .seconds(30))
            #expect(drained)
            #expect(try await server.client.get(Node.self, "n1").spec.unschedulable == true)
            let left = try await server.client.list(Pod.self, namespace: "default").items.compactMap(\.metadata.name)
            #expect(Set(left) == ["agent", "elsewhere"])
        }
    }

    @Test func evictsOnceAndGivesUpAtTheTimeoutWhenPodsDoNotGo() async throws {
        try await TestAPIServer.with { server in
            var node = Node()
            node.metadata.name = "n1"
            try await server.client.create(node)
            try await server.client.create(pod("stuck", node: "n1"))
            // No kubelet: the evicted pod stays terminating.
            var drain = NodeDrain(client: try server.newClient(), nodeName: "n1", logger: Logger(label: "test"))
            drain.retryInterval = .milliseconds(50)
            #expect(await drain.run(timeout: .zero) == false)
            let stuck = try await server.client.get(Pod.self, "stuck", namespace: "default")
            #expect(stuck.metadata.deletionTimestamp != nil)
        }
    }
}
