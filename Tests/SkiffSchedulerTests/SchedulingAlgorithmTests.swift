import SkiffAPI
import Testing

@testable import SkiffScheduler

@Suite("Scheduling algorithm, FitError, cache")
struct SchedulingAlgorithmTests {
    @Test func fitErrorReadsAsUpstreams() {
        let error = FitError(
            nodeCount: 3,
            reasons: ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }": 2, "Insufficient cpu": 1])
        #expect(
            error.description
                == "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.")
        #expect(FitError(nodeCount: 0).description == "no nodes available to schedule pods")
    }

    @Test func noFittingNodeGivesCountsPerFirstFailingFilter() {
        let cache = Fixtures.cache([
            Fixtures.node("small", cpu: "1"),
            Fixtures.node("cp1", taints: [Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")]),
            Fixtures.node("cp2", cpu: "1", taints: [Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")]),
        ])
        var algorithm = SchedulingAlgorithm(profile: .default())
        let result = algorithm.schedule(PodInfo(Fixtures.pod("p", cpu: "2")), in: cache)
        // cp2 is both tainted and too small; TaintToleration runs first, so it counts once, as a taint.
        #expect(
            result.failure?.description
                == "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.")
    }

    @Test func assumedPodsCountAgainstTheirNode() {
        let cache = Fixtures.cache([Fixtures.node("a", cpu: "2"), Fixtures.node("b", cpu: "2")])
        var algorithm = SchedulingAlgorithm(profile: .default())
        var placed: [String: Int] = [:]
        for index in 0..<5 {
            let pod = PodInfo(Fixtures.pod("p\(index)", cpu: "1"))
            guard case .success(let node) = algorithm.schedule(pod, in: cache) else {
                #expect(index == 4, "only four 1-CPU pods fit two 2-CPU nodes")
                continue
            }
            cache.assume(pod, on: node)
            placed[node, default: 0] += 1
        }
        #expect(placed == ["a": 2, "b": 2])
        cache.forget("default/p0")
        #expect(cache.node(named: "a")!.requested.milliCPU + cache.node(named: "b")!.requested.milliCPU == 3000)
        #expect(!cache.isAssumed("default/p0"))
    }

    @Test func confirmedPodsStayCountedAndMoveWithTheirBinding() {
        let cache = Fixtures.cache([Fixtures.node("a"), Fixtures.node("b")])
        let pod = PodInfo(Fixtures.pod("p", cpu: "1"))
        cache.assume(pod, on: "a")
        cache.addOrUpdate(boundPod: PodInfo(Fixtures.pod("p", cpu: "1", node: "b")))
        #expect(!cache.isAssumed(pod.key))
        #expect(cache.node(named: "a")!.requested.milliCPU == 0)
        #expect(cache.node(named: "b")!.requested.milliCPU == 1000)
        cache.remove(node: "b")
        cache.addOrUpdate(node: Fixtures.node("b"))
        #expect(cache.node(named: "b")!.requested.milliCPU == 1000, "pods of a node that comes back are kept")
    }

    @Test func samplingStopsAtEnoughFeasibleNodesAndRotates() {
        let profile = Profile.default()
        #expect(profile.feasibleNodesToFind(of: 50) == 50)
        #expect(profile.feasibleNodesToFind(of: 500) == 230)
        #expect(profile.feasibleNodesToFind(of: 5000) == 500)
        #expect(profile.feasibleNodesToFind(of: 10000) == 500)
        let cache = Fixtures.cache((0..<200).map { Fixtures.node("n\($0)") })
        var algorithm = SchedulingAlgorithm(profile: profile)
        var chosen = Set<String>()
        for index in 0..<20 {
            if case .success(let node) = algorithm.schedule(PodInfo(Fixtures.pod("p\(index)")), in: cache) { chosen.insert(node) }
        }
        // 200 nodes: 100 examined per cycle from a rotating start, so later pods see other nodes.
        #expect(chosen.count > 1)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
