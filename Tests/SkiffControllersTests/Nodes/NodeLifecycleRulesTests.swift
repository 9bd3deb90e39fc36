import SkiffAPI
import Testing

@testable import SkiffControllers

struct NodeLifecycleRulesTests {
    func node(ready: String?, memoryPressure: String = "False", taints: [Taint] = []) -> Node {
        var node = Node()
        node.metadata.name = "n"
        node.spec.taints = taints.isEmpty ? nil : taints
        var conditions: [NodeCondition] = []
        for (type, status) in [("Ready", ready), ("MemoryPressure", memoryPressure)] {
            guard let status else { continue }
            var condition = NodeCondition()
            condition.type = type
            condition.status = status
            conditions.append(condition)
        }
        node.status.conditions = conditions
        return node
    }

    @Test func taintsFollowConditionsAndLeaveOthersAlone() {
        let now = Time.now()
        let custom = Taint(key: "example.com/dedicated", value: "gpu", effect: "NoSchedule")
        let unknown = NodeConditionTaints.reconciled(node(ready: "Unknown", memoryPressure: "True", taints: [custom]), now: now)
        #expect(Set(unknown.map { "\($0.key):\($0.effect)" }) == [
            "example.com/dedicated:NoSchedule", "node.kubernetes.io/unreachable:NoExecute",
            "node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/memory-pressure:NoSchedule",
        ])
        #expect(unknown.first { $0.key == "node.kubernetes.io/unreachable" }?.timeAdded == now)

        // Unreachable becomes not-ready; a taint that stays keeps its timeAdded.
        var notReady = node(ready: "False", memoryPressure: "True", taints: unknown)
        notReady.status.conditions![1].status = "True"
        let swapped = NodeConditionTaints.reconciled(notReady, now: Time(nanosecondsSinceEpoch: 5))
        #expect(Set(swapped.map(\.key)) == ["example.com/dedicated", "node.kubernetes.io/not-ready", "node.kubernetes.io/memory-pressure"])
        #expect(swapped.first { $0.key == "node.kubernetes.io/memory-pressure" }?.timeAdded == now)

        #expect(NodeConditionTaints.reconciled(node(ready: "True", taints: swapped), now: now) == [custom])
        #expect(NodeConditionTaints.reconciled(node(ready: nil), now: now).isEmpty, "no status yet: no taints")
    }

    @Test func silentKubeletConditionsTurnUnknown() {
        var status = node(ready: "True").status
        let changed = status.markUnknown(now: .now())
        #expect(changed)
        let byType = Dictionary(uniqueKeysWithValues: (status.conditions ?? []).map { ($0.type, $0) })
        #expect(byType["Ready"]?.reason == "NodeStatusUnknown" && byType["Ready"]?.status == "Unknown")
        #expect(byType["MemoryPressure"]?.message == "Kubelet stopped posting node status.")
        #expect(byType["DiskPressure"]?.reason == "NodeStatusNeverUpdated" && byType["DiskPressure"]?.status == "Unknown")
        let again = status.markUnknown(now: .now())
        #expect(!again, "already unknown: nothing to write")
    }

    @Test func healthMovesOnlyWhenTheLeaseOrHeartbeatChanges() {
        var health = NodeHealth()
        let start = ContinuousClock.now
        var lease = Lease()
        lease.spec.renewTime = MicroTime(nanosecondsSinceEpoch: 1)
        let n = node(ready: "True")
        func silent(after seconds: Int) -> Bool {
            health.observe(n, lease: lease, now: start + .seconds(seconds), grace: .seconds(10)).silent
        }
        #expect(silent(after: 0) == false)
        #expect(silent(after: 11) == true)
        lease.spec.renewTime = MicroTime(nanosecondsSinceEpoch: 2)
        #expect(silent(after: 12) == false, "renewed")
        #expect(silent(after: 21) == false)
        #expect(silent(after: 23) == true)
    }

    @Test func tolerationTimeIsTheShortestOfTheTolerationsUsed() {
        let unreachable = Taint(key: "node.kubernetes.io/unreachable", effect: "NoExecute")
        let other = Taint(key: "example.com/drain", effect: "NoExecute")
        var pod = Pod()
        #expect(TaintEvictionController.tolerationTime(of: pod, for: [unreachable]) == .zero, "not tolerated: at once")
        var forever = Toleration()
        forever.operator = "Exists"
        pod.spec.tolerations = [forever]
        #expect(TaintEvictionController.tolerationTime(of: pod, for: [unreachable, other]) == nil, "tolerated for ever")
        var brief = Toleration()
        brief.key = "node.kubernetes.io/unreachable"
        brief.operator = "Exists"
        brief.tolerationSeconds = 30
        pod.spec.tolerations = [brief, forever]
        #expect(TaintEvictionController.tolerationTime(of: pod, for: [unreachable, other]) == .seconds(30))
        pod.spec.tolerations = [brief]
        #expect(TaintEvictionController.tolerationTime(of: pod, for: [unreachable, other]) == .zero)
    }
}
