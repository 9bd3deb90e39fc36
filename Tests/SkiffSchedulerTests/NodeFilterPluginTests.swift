import SkiffAPI
import Testing

@testable import SkiffScheduler

@Suite("Node filters: NodeUnschedulable, NodeName, NodeAffinity, NodePorts")
struct NodeFilterPluginTests {
    @Test func cordonedNodesAreUnschedulableUnlessTolerated() {
        let cache = Fixtures.cache([Fixtures.node("a", unschedulable: true), Fixtures.node("b")])
        var pod = Fixtures.pod("p")
        #expect(Fixtures.filter(NodeUnschedulable(), pod, cache) == ["a": ["node(s) were unschedulable"], "b": []])
        pod.spec.tolerations = [Toleration(key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule")]
        #expect(Fixtures.filter(NodeUnschedulable(), pod, cache) == nil)
    }

    @Test func podThatNamesANodeFitsOnlyThatNode() {
        let cache = Fixtures.cache([Fixtures.node("a"), Fixtures.node("b")])
        #expect(Fixtures.filter(NodeName(), Fixtures.pod("p"), cache) == nil)
        #expect(
            Fixtures.filter(NodeName(), Fixtures.pod("p", node: "b"), cache)
                == ["a": ["node(s) didn't match the requested node name"], "b": []])
    }

    @Test func nodeSelectorAndRequiredAffinityMustBothMatch() {
        let cache = Fixtures.cache([
            Fixtures.node("a", labels: ["disk": "ssd", "zone": "z1"]),
            Fixtures.node("b", labels: ["disk": "ssd", "zone": "z2", "gen": "3"]),
            Fixtures.node("c", labels: ["disk": "hdd", "gen": "5"]),
        ])
        var pod = Fixtures.pod("p")
        pod.spec.nodeSelector = ["disk": "ssd"]
        let miss = ["node(s) didn't match Pod's node affinity/selector"]
        #expect(Fixtures.filter(NodeAffinity(), pod, cache) == ["a": [], "b": [], "c": miss])

        var gen = NodeSelectorTerm()
        gen.matchExpressions = [Fixtures.requirement("gen", "Gt", ["2"])]
        var named = NodeSelectorTerm()
        named.matchFields = [Fixtures.requirement("metadata.name", "In", ["a"])]
        var affinity = Affinity()
        affinity.nodeAffinity = SkiffAPI.NodeAffinity()
        affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution = NodeSelector()
        affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms = [gen, named]
        pod.spec.affinity = affinity
        // Terms are ORed (a by name, b by gen > 2), and the selector still applies (c is hdd).
        #expect(Fixtures.filter(NodeAffinity(), pod, cache) == ["a": [], "b": [], "c": miss])
        pod.spec.nodeSelector = nil
        #expect(Fixtures.filter(NodeAffinity(), pod, cache) == ["a": [], "b": [], "c": []])
    }

    @Test func preferredNodeAffinityScoresByMatchedWeight() {
        let cache = Fixtures.cache([
            Fixtures.node("a", labels: ["zone": "z1"]), Fixtures.node("b", labels: ["zone": "z2"]), Fixtures.node("c"),
        ])
        var pod = Fixtures.pod("p")
        var z1 = PreferredSchedulingTerm()
        z1.weight = 80
        z1.preference.matchExpressions = [Fixtures.requirement("zone", "In", ["z1"])]
        var anyZone = PreferredSchedulingTerm()
        anyZone.weight = 20
        anyZone.preference.matchExpressions = [Fixtures.requirement("zone", "Exists")]
        pod.spec.affinity = Affinity()
        pod.spec.affinity?.nodeAffinity = SkiffAPI.NodeAffinity()
        pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution = [z1, anyZone]
        #expect(Fixtures.scores(NodeAffinity(), pod, cache) == ["a": 100, "b": 20, "c": 0])
    }

    @Test func hostPortsConflictOnOverlappingAddresses() {
        let taken = Fixtures.pod("web", hostPort: 8080, node: "a")
        let cache = Fixtures.cache([Fixtures.node("a"), Fixtures.node("b")], pods: [taken])
        #expect(Fixtures.filter(NodePorts(), Fixtures.pod("p"), cache) == nil)
        let reason = ["node(s) didn't have free ports for the requested pod ports"]
        #expect(Fixtures.filter(NodePorts(), Fixtures.pod("p", hostPort: 8080), cache) == ["a": reason, "b": []])
        #expect(Fixtures.filter(NodePorts(), Fixtures.pod("p", hostPort: 8081), cache) == ["a": [], "b": []])
        var udp = Fixtures.pod("p", hostPort: 8080)
        udp.spec.containers[0].ports?[0].protocol = "UDP"
        #expect(Fixtures.filter(NodePorts(), udp, cache) == ["a": [], "b": []])
        var specificAddress = Fixtures.pod("p", hostPort: 8080)
        specificAddress.spec.containers[0].ports?[0].hostIP = "127.0.0.1"
        #expect(Fixtures.filter(NodePorts(), specificAddress, cache) == ["a": reason, "b": []])
    }
}
