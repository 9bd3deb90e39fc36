import SkiffAPI
import SkiffClient
import SkiffControllers
import Testing

/// Test-sized timings: the controller looks every 100 ms and gives a silent
/// kubelet 10 s. The fake kubelet renews every 100 ms, but the suites of the
/// in-process phase share one process on two cores: 1 s and then 3 s were too
/// little (a fresh-clone run once tainted the *healthy* node). No assertion
/// depends on how long anything took.
@Suite(.serialized) struct NodeLifecycleClusterTests {
    static var settings: NodeControllersConfiguration {
        var settings = NodeControllersConfiguration()
        settings.nodeMonitorPeriod = .milliseconds(100)
        settings.nodeMonitorGracePeriod = .seconds(10)
        return settings
    }

    func taints(_ node: Node) -> Set<String> {
        Set((node.spec.taints ?? []).map { "\($0.key):\($0.effect)" })
    }

    @Test func aSilentNodeIsUnknownTaintedAndItsPodsAreReplacedAfterTheirToleration() async throws {
        try await TestCluster.with(controllers: ["nodelifecycle", "replicaset"], nodes: Self.settings) { cluster in
            let doomed = try await FakeNodeAgent.start("doomed", client: cluster.client)
            let healthy = try await FakeNodeAgent.start("healthy", client: cluster.client)
            defer { Task { await doomed.stop(); await healthy.stop() } }

            var set = Manifests.replicaSet("web", replicas: 2)
            set.spec.template.spec.tolerations = NodeTolerations.forLoss(seconds: 2)
            try await cluster.client.create(set)
            #expect(try await eventually { try await cluster.pods().count == 2 })
            // Play the scheduler and the kubelet: both pods run on the doomed node.
            for pod in try await cluster.pods() {
                try await cluster.client.bind(pod: pod.metadata.name ?? "", namespace: "default", node: "doomed")
                let bound = try await cluster.client.get(Pod.self, pod.metadata.name ?? "", namespace: "default")
                try await cluster.client.updateStatus(FakeKubelet.running(bound))
            }
            let original = Set(try await cluster.pods().compactMap(\.metadata.name))
            #expect(try await cluster.node("doomed").spec.taints == nil, "a live node is not tainted")

            doomed.die()
            #expect(try await eventually {
                let node = try await cluster.node("doomed")
                return taints(node).isSuperset(of: ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"])
            })
            let node = try await cluster.node("doomed")
            for type in ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] {
                let condition = node.status.conditions?.first { $0.type == type }
                #expect(condition?.status == "Unknown", "\(type)")
                #expect(condition?.reason == "NodeStatusUnknown")
                #expect(condition?.message == "Kubelet stopped posting node status.")
            }
            #expect(node.spec.taints?.allSatisfy { $0.timeAdded != nil } == true)
            #expect(try await eventually {
                try await cluster.events(reason: "NodeNotReady").contains { $0.involvedObject.name == "doomed" }
            })
            #expect(try await cluster.node("healthy").spec.taints == nil, "the live node is left alone")

            // Evicted once their 2 s are up; the replica set replaces them.
            #expect(try await eventually {
                try await cluster.pods().filter { original.contains($0.metadata.name ?? "") }
                    .allSatisfy { $0.metadata.deletionTimestamp != nil }
            })
            let evicted = try await cluster.pods().filter { original.contains($0.metadata.name ?? "") }
            for pod in evicted {
                #expect(pod.status.conditions?.contains { $0.type == "Ready" && $0.status == "False" } == true, "marked not ready")
                #expect(pod.status.conditions?.contains { $0.type == "DisruptionTarget" && $0.reason == "DeletionByTaintManager" } == true)
            }
            #expect(try await eventually {
                try await cluster.pods().filter { !original.contains($0.metadata.name ?? "") && $0.metadata.deletionTimestamp == nil }
                    .count == 2
            })
            #expect(try await eventually {
                try await cluster.events(reason: "TaintManagerEviction").filter { $0.message?.hasPrefix("Marking for deletion Pod default/") == true }
                    .count == 2
            })
        }
    }

    @Test func aNodeThatComesBackInTimeKeepsItsPodsAndLosesItsTaints() async throws {
        try await TestCluster.with(controllers: ["nodelifecycle"], nodes: Self.settings) { cluster in
            let agent = try await FakeNodeAgent.start("flaky", client: cluster.client)
            defer { Task { await agent.stop() } }
            try await cluster.runningPod("patient", on: "flaky", tolerationSeconds: 3600)

            agent.die()
            #expect(try await eventually {
                taints(try await cluster.node("flaky")).contains("node.kubernetes.io/unreachable:NoExecute")
            })
            try await agent.comeBack()
            #expect(try await eventually { taints(try await cluster.node("flaky")).isEmpty })
            #expect(try await eventually {
                try await cluster.events(reason: "TaintManagerEviction").contains {
                    $0.message == "Cancelling deletion of Pod default/patient"
                }
            })
            let pod = try await cluster.client.get(Pod.self, "patient", namespace: "default")
            #expect(pod.metadata.deletionTimestamp == nil)
            #expect(try await cluster.node("flaky").status.conditions?.first { $0.type == "Ready" }?.status == "True")
        }
    }

    @Test func aNodeReportingNotReadyGetsTheNotReadyTaintsAndPressureTaints() async throws {
        try await TestCluster.with(controllers: ["nodelifecycle"], nodes: Self.settings) { cluster in
            let agent = try await FakeNodeAgent.start("sick", client: cluster.client)
            defer { Task { await agent.stop() } }
            try await agent.postReady("False")
            #expect(try await eventually {
                taints(try await cluster.node("sick")) == ["node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"]
            })
            try await cluster.client.patch(Node.self, "sick", .merge, body: Array(#"{"spec":{"unschedulable":true}}"#.utf8))
            try await agent.postReady()
            #expect(try await eventually { taints(try await cluster.node("sick")) == ["node.kubernetes.io/unschedulable:NoSchedule"] })
        }
    }
}
