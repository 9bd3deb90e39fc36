import SkiffAPI
import SkiffClient
import SkiffScheduler
import Testing

/// The daemon set controller binds its pods to their nodes the way upstream
/// does: a required node affinity term on `metadata.name` and the default
/// daemon tolerations, leaving the binding to the scheduler.
@Suite("Daemon pods through the scheduler", .serialized, .timeLimit(.minutes(2)))
struct DaemonPodSchedulingTests {
    @Test func aDaemonPodLandsOnTheNodeItsAffinityNamesEvenWhenCordoned() async throws {
        try await TestCluster.with { cluster in
            try await cluster.createNode(Fixtures.node("a"))
            try await cluster.createNode(
                Fixtures.node("b", taints: [Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")], unschedulable: true))
            let (_, running) = try cluster.startScheduler()
            defer { running.cancel() }

            for (name, node) in [("agent-a", "a"), ("agent-b", "b")] {
                var pod = Fixtures.pod(name)
                var term = NodeSelectorTerm()
                term.matchFields = [Fixtures.requirement("metadata.name", "In", [node])]
                var required = NodeSelector()
                required.nodeSelectorTerms = [term]
                var nodeAffinity = SkiffAPI.NodeAffinity()
                nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = required
                var affinity = Affinity()
                affinity.nodeAffinity = nodeAffinity
                pod.spec.affinity = affinity
                pod.spec.tolerations = [Toleration(key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule")]
                try await cluster.createPod(pod)
            }
            // Without the toleration the cordoned node is refused.
            var plain = Fixtures.pod("plain")
            plain.spec.nodeSelector = ["kubernetes.io/hostname": "b"]
            try await cluster.createPod(plain)

            #expect(try await eventually { try await cluster.boundPods().count == 2 })
            #expect(try await cluster.pod("agent-a").spec.nodeName == "a")
            #expect(try await cluster.pod("agent-b").spec.nodeName == "b")
            #expect(try await cluster.pod("plain").spec.nodeName == nil)
            running.cancel()
            await running.value
        }
    }
}
