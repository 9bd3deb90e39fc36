import SkiffAPI
import Testing

@testable import SkiffScheduler

@Suite("PodTopologySpread")
struct PodTopologySpreadTests {
    static func spread(_ pod: Pod, maxSkew: Int32 = 1, key: String = "zone", when: String = "DoNotSchedule") -> Pod {
        var pod = pod
        var constraint = TopologySpreadConstraint()
        constraint.maxSkew = maxSkew
        constraint.topologyKey = key
        constraint.whenUnsatisfiable = when
        constraint.labelSelector = LabelSelector(matchLabels: ["app": "web"])
        pod.spec.topologySpreadConstraints = [constraint]
        return pod
    }

    static let nodes = [
        Fixtures.node("a1", labels: ["zone": "a"]), Fixtures.node("b1", labels: ["zone": "b"]),
        Fixtures.node("c1", labels: ["zone": "c"]), Fixtures.node("nozone"),
    ]

    static func web(_ name: String, on node: String) -> Pod {
        Fixtures.pod(name, labels: ["app": "web"], node: node)
    }

    @Test func skewOverTheLeastPopulatedDomainIsRefused() {
        let cache = Fixtures.cache(Self.nodes, pods: [Self.web("w1", on: "a1"), Self.web("w2", on: "b1")])
        let pod = Self.spread(Fixtures.pod("w3", labels: ["app": "web"]))
        #expect(
            Fixtures.filter(PodTopologySpread(), pod, cache) == [
                "a1": ["node(s) didn't match pod topology spread constraints"],
                "b1": ["node(s) didn't match pod topology spread constraints"],
                "c1": [],
                "nozone": ["node(s) didn't match pod topology spread constraints (missing required label)"],
            ])
        #expect(Fixtures.filter(PodTopologySpread(), Self.spread(Fixtures.pod("w3"), maxSkew: 2), cache)?["a1"] == [])
    }

    @Test func podsOfOtherNamespacesOrLabelsDoNotCount() {
        let cache = Fixtures.cache(
            Self.nodes,
            pods: [Fixtures.pod("other", namespace: "elsewhere", labels: ["app": "web"], node: "a1"), Fixtures.pod("db", node: "a1")])
        let result = Fixtures.filter(PodTopologySpread(), Self.spread(Fixtures.pod("w", labels: ["app": "web"])), cache)
        #expect(result?["a1"] == [])
    }

    @Test func scheduleAnywayScoresEmptierDomainsHigher() {
        let cache = Fixtures.cache(
            Array(Self.nodes.prefix(3)), pods: [Self.web("w1", on: "a1"), Self.web("w2", on: "a1"), Self.web("w3", on: "b1")])
        let pod = Self.spread(Fixtures.pod("w4", labels: ["app": "web"]), when: "ScheduleAnyway")
        #expect(Fixtures.filter(PodTopologySpread(), pod, cache) == nil)
        let scores = Fixtures.scores(PodTopologySpread(), pod, cache)!
        #expect(scores["c1"]! > scores["b1"]!)
        #expect(scores["b1"]! > scores["a1"]!)
        #expect(scores["c1"] == 100)
    }
}
