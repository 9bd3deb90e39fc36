import SkiffAPI
import Testing

@testable import SkiffScheduler

@Suite("NodeResourcesFit, BalancedAllocation, ImageLocality")
struct NodeResourcesTests {
    @Test func requestsMustFitWhatIsLeft() {
        let busy = Fixtures.pod("busy", cpu: "3", memory: "1Gi", node: "a")
        let cache = Fixtures.cache([Fixtures.node("a", cpu: "4"), Fixtures.node("b", cpu: "4", memory: "1Gi")], pods: [busy])
        let pod = Fixtures.pod("p", cpu: "2", memory: "2Gi")
        #expect(
            Fixtures.filter(NodeResourcesFit(), pod, cache) == [
                "a": ["Insufficient cpu"], "b": ["Insufficient memory"],
            ])
        #expect(Fixtures.filter(NodeResourcesFit(), Fixtures.pod("q", cpu: "1"), cache) == ["a": [], "b": []])
    }

    @Test func podCountIsALimitToo() {
        let cache = Fixtures.cache([Fixtures.node("a", pods: "1")], pods: [Fixtures.pod("first", node: "a")])
        #expect(Fixtures.filter(NodeResourcesFit(), Fixtures.pod("p"), cache) == ["a": ["Too many pods"]])
    }

    @Test func extendedResourcesAreCounted() {
        var node = Fixtures.node("a")
        node.status.allocatable?["example.com/gpu"] = "1"
        let cache = Fixtures.cache([node])
        var pod = Fixtures.pod("p")
        pod.spec.containers[0].resources.requests = ["example.com/gpu": "2"]
        #expect(Fixtures.filter(NodeResourcesFit(), pod, cache) == ["a": ["Insufficient example.com/gpu"]])
    }

    @Test func initContainersAndOverheadAddUpAsUpstream() {
        var pod = Fixtures.pod("p", cpu: "500m", memory: "100Mi")
        var setup = Container()
        setup.name = "init"
        setup.resources.requests = ["cpu": "2"]
        var sidecar = Container()
        sidecar.name = "proxy"
        sidecar.restartPolicy = "Always"
        sidecar.resources.requests = ["cpu": "100m"]
        pod.spec.initContainers = [sidecar, setup]
        pod.spec.overhead = ["cpu": "10m"]
        let requests = PodRequests(pod.spec)
        // max(containers 500m + sidecar 100m, sidecar 100m + init 2) + overhead 10m
        #expect(requests.resources.milliCPU == 2110)
        #expect(requests.resources.memory == 100 * 1024 * 1024)
        #expect(PodRequests(Fixtures.pod("bare").spec).nonZeroMilliCPU == 100)
        #expect(PodRequests(Fixtures.pod("bare").spec).nonZeroMemory == 200 * 1024 * 1024)
    }

    @Test func leastAllocatedPrefersTheEmptierNode() {
        let cache = Fixtures.cache(
            [Fixtures.node("a", cpu: "4", memory: "4Gi"), Fixtures.node("b", cpu: "4", memory: "4Gi")],
            pods: [Fixtures.pod("busy", cpu: "2", memory: "2Gi", node: "a")])
        let scores = Fixtures.scores(NodeResourcesFit(), Fixtures.pod("p", cpu: "1", memory: "1Gi"), cache)
        // a: (4-3)/4 → 25 for cpu and memory; b: (4-1)/4 → 75.
        #expect(scores == ["a": 25, "b": 75])
    }

    @Test func balancedAllocationPrefersEqualShares() {
        let cache = Fixtures.cache(
            [Fixtures.node("a", cpu: "4", memory: "4Gi"), Fixtures.node("b", cpu: "4", memory: "4Gi")],
            pods: [Fixtures.pod("cpu-heavy", cpu: "2", node: "a")])
        let scores = Fixtures.scores(BalancedAllocation(), Fixtures.pod("p", cpu: "1", memory: "1Gi"), cache)
        // a: cpu 3/4, memory 1/4 → deviation 0.25 → 75; b: 1/4 and 1/4 → 100.
        #expect(scores == ["a": 75, "b": 100])
        #expect(Fixtures.scores(BalancedAllocation(), Fixtures.pod("bare"), cache) == nil)
    }

    @Test func imageLocalityScalesBySizeAndSpread() {
        let megabyte: Int64 = 1024 * 1024
        let cache = Fixtures.cache([
            Fixtures.node("a", images: [("registry.local/app:1", 523 * megabyte)]),
            Fixtures.node("b", images: [("registry.local/app:1", 523 * megabyte)]),
            Fixtures.node("c"), Fixtures.node("d"),
        ])
        // 523 MiB × 2/4 nodes = 261.5 MiB; (261.5 − 23) / (1000 − 23) × 100 = 24.
        let scores = Fixtures.scores(ImageLocality(), Fixtures.pod("p", image: "registry.local/app:1"), cache)
        #expect(scores == ["a": 24, "b": 24, "c": 0, "d": 0])
        #expect(PodInfo.normalizedImage("busybox") == "busybox:latest")
        #expect(PodInfo.normalizedImage("registry.local:5000/busybox") == "registry.local:5000/busybox:latest")
        #expect(PodInfo.normalizedImage("busybox@sha256:abc") == "busybox@sha256:abc")
    }
}
