import SkiffAPI
import Testing

@testable import SkiffScheduler

@Suite("InterPodAffinity")
struct InterPodAffinityTests {
    static let zones = [
        Fixtures.node("a1", labels: ["zone": "a"]), Fixtures.node("a2", labels: ["zone": "a"]),
        Fixtures.node("b1", labels: ["zone": "b"]), Fixtures.node("bare"),
    ]

    static func withAffinity(_ pod: Pod, required: [PodAffinityTerm] = [], anti: [PodAffinityTerm] = []) -> Pod {
        var pod = pod
        pod.spec.affinity = Affinity()
        if !required.isEmpty {
            pod.spec.affinity?.podAffinity = PodAffinity()
            pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution = required
        }
        if !anti.isEmpty {
            pod.spec.affinity?.podAntiAffinity = PodAntiAffinity()
            pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution = anti
        }
        return pod
    }

    @Test func affinityNeedsAMatchingPodInTheDomain() {
        let cache = Fixtures.cache(Self.zones, pods: [Fixtures.pod("db", labels: ["app": "db"], node: "a1")])
        let pod = Self.withAffinity(Fixtures.pod("web"), required: [Fixtures.term(["app": "db"], topologyKey: "zone")])
        let miss = ["node(s) didn't match pod affinity rules"]
        #expect(Fixtures.filter(InterPodAffinity(), pod, cache) == ["a1": [], "a2": [], "b1": miss, "bare": miss])
    }

    @Test func firstPodOfAGroupMayGoAnywhereItsTopologyKeyExists() {
        let cache = Fixtures.cache(Self.zones)
        let pod = Self.withAffinity(
            Fixtures.pod("web", labels: ["app": "web"]), required: [Fixtures.term(["app": "web"], topologyKey: "zone")])
        let result = Fixtures.filter(InterPodAffinity(), pod, cache)
        #expect(result == ["a1": [], "a2": [], "b1": [], "bare": ["node(s) didn't match pod affinity rules"]])
    }

    @Test func antiAffinityKeepsPodsApartAndIsSymmetric() {
        let cache = Fixtures.cache(
            Self.zones,
            pods: [Self.withAffinity(Fixtures.pod("lonely", labels: ["app": "lonely"], node: "b1"), anti: [Fixtures.term(["app": "web"], topologyKey: "zone")])])
        // The existing pod refuses web pods in zone b.
        #expect(
            Fixtures.filter(InterPodAffinity(), Fixtures.pod("web", labels: ["app": "web"]), cache) == [
                "a1": [], "a2": [], "b1": ["node(s) didn't satisfy existing pods anti-affinity rules"], "bare": [],
            ])
        // The incoming pod refuses lonely pods on the same host.
        let pod = Self.withAffinity(Fixtures.pod("p"), anti: [Fixtures.term(["app": "lonely"])])
        #expect(
            Fixtures.filter(InterPodAffinity(), pod, cache) == [
                "a1": [], "a2": [], "b1": ["node(s) didn't match pod anti-affinity rules"], "bare": [],
            ])
        #expect(Fixtures.filter(InterPodAffinity(), Fixtures.pod("plain"), Fixtures.cache(Self.zones)) == nil)
    }

    @Test func preferredAffinityScoresTheDomainOfMatchingPods() {
        let cache = Fixtures.cache(Self.zones, pods: [Fixtures.pod("db", labels: ["app": "db"], node: "a1")])
        var pod = Fixtures.pod("web")
        var preferred = WeightedPodAffinityTerm()
        preferred.weight = 10
        preferred.podAffinityTerm = Fixtures.term(["app": "db"], topologyKey: "zone")
        pod.spec.affinity = Affinity()
        pod.spec.affinity?.podAffinity = PodAffinity()
        pod.spec.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution = [preferred]
        #expect(Fixtures.scores(InterPodAffinity(), pod, cache) == ["a1": 100, "a2": 100, "b1": 0, "bare": 0])
    }
}
