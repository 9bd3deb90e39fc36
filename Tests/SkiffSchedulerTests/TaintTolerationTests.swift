import SkiffAPI
import Testing

@testable import SkiffScheduler

@Suite("TaintToleration")
struct TaintTolerationTests {
    @Test func untoleratedNoScheduleOrNoExecuteTaintIsNamed() {
        let cache = Fixtures.cache([
            Fixtures.node("cp", taints: [Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")]),
            Fixtures.node("gpu", taints: [Taint(key: "gpu", value: "true", effect: "NoExecute")]),
            Fixtures.node("soft", taints: [Taint(key: "soft", effect: "PreferNoSchedule")]),
        ])
        #expect(
            Fixtures.filter(TaintToleration(), Fixtures.pod("p"), cache) == [
                "cp": ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"],
                "gpu": ["node(s) had untolerated taint {gpu: true}"],
                "soft": [],
            ])
    }

    @Test func tolerationMatchingFollowsUpstream() {
        let taint = Taint(key: "gpu", value: "true", effect: "NoSchedule")
        #expect(Toleration(key: "gpu", value: "true", effect: "NoSchedule").tolerates(taint))
        #expect(Toleration(key: "gpu", operator: "Exists").tolerates(taint))
        #expect(Toleration(key: nil, operator: "Exists").tolerates(taint))
        #expect(!Toleration(key: "gpu", value: "false").tolerates(taint))
        #expect(!Toleration(key: "gpu", operator: "Exists", effect: "NoExecute").tolerates(taint))
        #expect(!Toleration(key: "other", operator: "Exists").tolerates(taint))
    }

    @Test func fewerPreferNoScheduleTaintsScoreHigher() {
        let soft = { (key: String) in Taint(key: key, effect: "PreferNoSchedule") }
        let cache = Fixtures.cache([
            Fixtures.node("clean"), Fixtures.node("one", taints: [soft("a")]), Fixtures.node("two", taints: [soft("a"), soft("b")]),
        ])
        #expect(Fixtures.scores(TaintToleration(), Fixtures.pod("p"), cache) == ["clean": 100, "one": 50, "two": 0])
        var tolerant = Fixtures.pod("p")
        tolerant.spec.tolerations = [Toleration(key: "a", operator: "Exists", effect: "PreferNoSchedule")]
        #expect(Fixtures.scores(TaintToleration(), tolerant, cache) == ["clean": 100, "one": 100, "two": 0])
    }
}
