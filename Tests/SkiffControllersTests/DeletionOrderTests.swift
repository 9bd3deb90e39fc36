import SkiffAPI
import Testing

@testable import SkiffControllers

@Suite struct DeletionOrderTests {
    private func order(_ pods: [Pod], related: [Pod]? = nil) -> [String] {
        DeletionOrder.sorted(pods, related: related ?? pods).map { $0.metadata.name ?? "" }
    }

    @Test func unscheduledGoBeforeScheduled() {
        #expect(order([Fixtures.pod("on-node", node: "n1"), Fixtures.pod("nowhere", phase: "Pending", ready: false)])
            == ["nowhere", "on-node"])
    }

    @Test func pendingBeforeUnknownBeforeRunning() {
        let pods = [
            Fixtures.pod("running", node: "n1"), Fixtures.pod("unknown", node: "n2", phase: "Unknown"),
            Fixtures.pod("pending", node: "n3", phase: "Pending"),
        ]
        #expect(order(pods) == ["pending", "unknown", "running"])
    }

    @Test func notReadyBeforeReady() {
        #expect(order([Fixtures.pod("ready", node: "n1"), Fixtures.pod("unready", node: "n2", ready: false)])
            == ["unready", "ready"])
    }

    @Test func lowerDeletionCostFirst() {
        var cheap = Fixtures.pod("cheap", node: "n1")
        cheap.metadata.annotations = ["controller.kubernetes.io/pod-deletion-cost": "-10"]
        #expect(order([Fixtures.pod("plain", node: "n2"), cheap]) == ["cheap", "plain"])
    }

    @Test func doubledUpPodsGoFirst() {
        let pods = [Fixtures.pod("alone", node: "n1"), Fixtures.pod("pair-1", node: "n2"), Fixtures.pod("pair-2", node: "n2")]
        #expect(order(pods).first?.hasPrefix("pair") == true)
        #expect(order(pods).last == "alone")
    }

    @Test func readyForLessTimeFirstThenMoreRestartsThenNewer() {
        let pods = [
            Fixtures.pod("long-ready", node: "n1", readySince: 100),
            Fixtures.pod("just-ready", node: "n2", readySince: 900),
        ]
        #expect(order(pods) == ["just-ready", "long-ready"])
        let restarted = [
            Fixtures.pod("steady", node: "n1"), Fixtures.pod("crashy", node: "n2", restarts: 5),
        ]
        #expect(order(restarted) == ["crashy", "steady"])
        let ages = [Fixtures.pod("old", node: "n1", created: 10), Fixtures.pod("young", node: "n2", created: 20)]
        #expect(order(ages) == ["young", "old"])
    }
}
