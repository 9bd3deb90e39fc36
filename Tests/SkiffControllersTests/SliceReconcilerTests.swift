import SkiffAPI
import Testing

@testable import SkiffControllers

/// The endpoint slice reconciler as a pure function; ``SliceStore`` plays the API
/// server by applying each plan.
@Suite struct SliceReconcilerTests {
    let nodes = ["node-a": EndpointFixtures.node("node-a", zone: "zone-1"), "node-b": EndpointFixtures.node("node-b")]

    func plan(_ service: Service, _ pods: [Pod], _ existing: [EndpointSlice], max: Int = 100) -> SlicePlan {
        SliceReconciler(maxEndpointsPerSlice: max).plan(service: service, pods: pods, existing: existing) { nodes[$0] }
    }

    @Test func conditionsFollowReadinessAndTermination() throws {
        let service = EndpointFixtures.service()
        let pods = [
            EndpointFixtures.pod("a", ips: ["10.42.0.1"]),
            EndpointFixtures.pod("b", ips: ["10.42.0.2"], ready: false, node: "node-b"),
            EndpointFixtures.pod("c", ips: ["10.42.0.3"], terminating: true),
            EndpointFixtures.pod("d", ips: ["10.42.0.4"], ready: false, terminating: true),
            EndpointFixtures.pod("no-ip", ips: []),
            EndpointFixtures.pod("done", ips: ["10.42.0.6"], phase: "Succeeded"),
        ]
        let result = plan(service, pods, [])
        #expect(result.update.isEmpty && result.delete.isEmpty)
        let slice = try #require(result.create.first)
        #expect(result.create.count == 1)
        #expect(slice.addressType == "IPv4")
        #expect(slice.metadata.generateName == "web-")
        #expect(slice.metadata.labels?["kubernetes.io/service-name"] == "web")
        #expect(slice.metadata.labels?["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io")
        #expect(slice.metadata.ownerReferences?.first?.uid == "uid-svc-web")
        #expect(slice.metadata.ownerReferences?.first?.controller == true)
        #expect(slice.ports.map(\.port) == [8080] && slice.ports.first?.name == "http")
        let byName = Dictionary(uniqueKeysWithValues: slice.endpoints.map { ($0.targetRef?.name ?? "", $0) })
        #expect(Set(byName.keys) == ["a", "b", "c", "d"])
        func conditions(_ name: String) -> [Bool?] {
            let c = byName[name]?.conditions
            return [c?.ready, c?.serving, c?.terminating]
        }
        #expect(conditions("a") == [true, true, false])
        #expect(conditions("b") == [false, false, false])
        #expect(conditions("c") == [false, true, true])
        #expect(conditions("d") == [false, false, true])
        #expect(byName["a"]?.zone == "zone-1" && byName["a"]?.nodeName == "node-a")
        #expect(byName["b"]?.zone == nil && byName["b"]?.nodeName == "node-b")
        #expect(byName["a"]?.targetRef?.kind == "Pod" && byName["a"]?.targetRef?.uid == "uid-a")
        #expect(byName["a"]?.addresses == ["10.42.0.1"])
    }

    /// trafficDistribution PreferClose: each ready endpoint with a zone is hinted
    /// for its own zone (upstream's preferCloseHeuristic); others get no hint.
    @Test func preferCloseHintsReadyEndpointsToTheirZone() throws {
        var service = EndpointFixtures.service()
        service.spec.trafficDistribution = "PreferClose"
        let pods = [
            EndpointFixtures.pod("a", ips: ["10.42.0.1"]),
            EndpointFixtures.pod("b", ips: ["10.42.0.2"], node: "node-b"),
            EndpointFixtures.pod("c", ips: ["10.42.0.3"], ready: false),
        ]
        let slice = try #require(plan(service, pods, []).create.first)
        let byName = Dictionary(uniqueKeysWithValues: slice.endpoints.map { ($0.targetRef?.name ?? "", $0) })
        #expect(byName["a"]?.hints?.forZones?.map(\.name) == ["zone-1"])
        #expect(byName["b"]?.hints == nil, "node-b has no zone")
        #expect(byName["c"]?.hints == nil, "not ready")
        #expect(try #require(plan(EndpointFixtures.service(), pods, []).create.first).endpoints.allSatisfy { $0.hints == nil })
    }

    @Test func publishNotReadyAddressesMakesEveryEndpointReady() throws {
        var service = EndpointFixtures.service()
        service.spec.publishNotReadyAddresses = true
        let pods = [EndpointFixtures.pod("b", ips: ["10.42.0.2"], ready: false, node: "unknown-node")]
        let endpoint = try #require(plan(service, pods, []).create.first?.endpoints.first)
        #expect(endpoint.conditions.ready == true && endpoint.conditions.serving == false)
    }

    @Test func podsOnUnknownNodesAreLeftOutAndReported() {
        let pods = [EndpointFixtures.pod("a", ips: ["10.42.0.1"], node: "gone")]
        let result = plan(EndpointFixtures.service(), pods, [])
        #expect(result.podsWithUnknownNodes == ["a"])
        #expect(result.create.count == 1 && result.create[0].endpoints.isEmpty)
    }

    @Test func namedPortsResolvedPerPodSplitSlices() {
        let pods = [
            EndpointFixtures.pod("a", ips: ["10.42.0.1"], httpPort: 8080),
            EndpointFixtures.pod("b", ips: ["10.42.0.2"], httpPort: 9090),
            EndpointFixtures.pod("c", ips: ["10.42.0.3"], httpPort: 8080),
        ]
        let result = plan(EndpointFixtures.service(), pods, [])
        let byPort = Dictionary(uniqueKeysWithValues: result.create.map { ($0.ports.first?.port ?? 0, $0.endpoints.map { $0.targetRef?.name ?? "" }) })
        #expect(byPort == [8080: ["a", "c"], 9090: ["b"]])
    }

    @Test func aPortThePodLacksIsLeftOut() {
        let ports = [
            ServicePort(name: "http", protocol: "TCP", port: 80, targetPort: .string("http")),
            ServicePort(name: "metrics", protocol: "TCP", port: 9100, targetPort: .string("metrics")),
            ServicePort(name: "raw", protocol: "UDP", port: 53, targetPort: .int(5353)),
        ]
        let result = plan(EndpointFixtures.service(ports: ports), [EndpointFixtures.pod("a", ips: ["10.42.0.1"])], [])
        #expect(Set(result.create.first?.ports.map { "\($0.name ?? "")/\($0.protocol ?? "")/\($0.port ?? 0)" } ?? [])
            == ["http/TCP/8080", "raw/UDP/5353"])
    }

    @Test func atMostMaxEndpointsPerSliceAndNoRewriteWhenNothingChanged() {
        let service = EndpointFixtures.service()
        var pods = (0..<250).map { EndpointFixtures.pod("p\($0)", ips: ["10.42.\($0 / 200).\($0 % 200 + 1)"]) }
        var store = SliceStore()
        store.apply(plan(service, pods, []))
        #expect(store.slices.map(\.endpoints.count).sorted() == [50, 100, 100])
        #expect(plan(service, pods, store.slices).isEmpty)

        // One pod less: one slice updated, nothing created or deleted.
        pods.removeAll { $0.metadata.name == "p7" }
        let shrink = plan(service, pods, store.slices)
        #expect(shrink.create.isEmpty && shrink.delete.isEmpty && shrink.update.count == 1)
        store.apply(shrink)
        // A new pod goes into the slice with room, not a new one.
        pods.append(EndpointFixtures.pod("new", ips: ["10.42.9.9"]))
        let grow = plan(service, pods, store.slices)
        #expect(grow.create.isEmpty && grow.update.count == 1)
        store.apply(grow)
        #expect(store.slices.map(\.endpoints.count).reduce(0, +) == 250)
        #expect(store.slices.allSatisfy { $0.endpoints.count <= 100 })
    }

    @Test func aReadinessChangeUpdatesOnlyItsSlice() {
        let service = EndpointFixtures.service()
        var pods = (0..<150).map { EndpointFixtures.pod("p\($0)", ips: ["10.42.1.\($0 + 1)"]) }
        var store = SliceStore()
        store.apply(plan(service, pods, []))
        pods[3].status = EndpointFixtures.status(ips: ["10.42.1.4"], ready: false)
        let result = plan(service, pods, store.slices)
        #expect(result.create.isEmpty && result.delete.isEmpty && result.update.count == 1)
        let endpoint = result.update.first?.endpoints.first { $0.targetRef?.name == "p3" }
        #expect(endpoint?.conditions.ready == false)
    }

    @Test func noPodsKeepsOnePlaceholderSlice() {
        let service = EndpointFixtures.service()
        var store = SliceStore()
        store.apply(plan(service, [EndpointFixtures.pod("a", ips: ["10.42.0.1"])], []))
        // The pod's slice becomes the empty placeholder (updated in place, not replaced).
        let emptied = plan(service, [], store.slices)
        #expect(emptied.create.isEmpty && emptied.delete.isEmpty && emptied.update.count == 1)
        store.apply(emptied)
        #expect(store.slices.count == 1 && store.slices[0].endpoints.isEmpty && store.slices[0].ports.isEmpty)
        #expect(plan(service, [], store.slices).isEmpty)
    }

    @Test func slicesOfAnEarlierServiceOfTheSameNameAndOtherFamiliesGo() {
        var old = SliceLabels.newSlice(for: EndpointFixtures.service(), addressType: "IPv4", ports: [])
        old.metadata.name = "web-old"
        old.metadata.ownerReferences?[0].uid = "uid-earlier"
        var v6 = SliceLabels.newSlice(for: EndpointFixtures.service(), addressType: "IPv6", ports: [])
        v6.metadata.name = "web-v6"
        let result = plan(EndpointFixtures.service(), [EndpointFixtures.pod("a", ips: ["10.42.0.1"])], [old, v6])
        #expect(Set(result.delete.map { $0.metadata.name ?? "" }) == ["web-old", "web-v6"])
        #expect(result.create.count == 1 && result.update.isEmpty)
    }

    @Test func addressTypesFollowTheServiceFamilies() {
        let pods = [
            EndpointFixtures.pod("dual", ips: ["10.42.0.1", "fd00:42::1"]),
            EndpointFixtures.pod("v4", ips: ["10.42.0.2"]),
        ]
        let v6 = plan(EndpointFixtures.service(families: ["IPv6"], clusterIP: "fd00:43::10"), pods, [])
        #expect(v6.create.map(\.addressType) == ["IPv6"])
        #expect(v6.create.first?.endpoints.map(\.addresses) == [["fd00:42::1"]])
        let dual = plan(EndpointFixtures.service(families: ["IPv4", "IPv6"]), pods, [])
        #expect(dual.create.map(\.addressType).sorted() == ["IPv4", "IPv6"])
        let headless = plan(EndpointFixtures.service(families: nil, clusterIP: "None"), pods, [])
        #expect(headless.create.map(\.addressType).sorted() == ["IPv4", "IPv6"])
        #expect(headless.create.first?.metadata.labels?["service.kubernetes.io/headless"] == "")
    }

    @Test func serviceLabelChangesReachTheSlices() {
        var service = EndpointFixtures.service()
        let pods = [EndpointFixtures.pod("a", ips: ["10.42.0.1"])]
        var store = SliceStore()
        store.apply(plan(service, pods, []))
        service.metadata.labels = ["team": "blue"]
        let result = plan(service, pods, store.slices)
        #expect(result.update.count == 1 && result.update[0].metadata.labels?["team"] == "blue")
    }
}

/// Applies plans as the API server would: creates get a name and a uid.
struct SliceStore {
    var slices: [EndpointSlice] = []
    private var next = 0

    mutating func apply(_ plan: SlicePlan) {
        for var slice in plan.create {
            next += 1
            slice.metadata.name = (slice.metadata.generateName ?? "") + "\(next)"
            slice.metadata.uid = "slice-\(next)"
            slices.append(slice)
        }
        for slice in plan.update {
            slices.removeAll { $0.metadata.name == slice.metadata.name }
            slices.append(slice)
        }
        for slice in plan.delete { slices.removeAll { $0.metadata.name == slice.metadata.name } }
    }
}
