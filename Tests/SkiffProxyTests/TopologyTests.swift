import SkiffAPI
import SkiffClient
import SkiffProxy
import Testing

/// Topology-aware routing: a Service with trafficDistribution PreferClose (or the
/// topology-mode annotation Auto) whose endpoints all carry zone hints is sent,
/// from a node in a zone, to the endpoints hinted for that zone.
@Suite struct TopologyTests {
    static func slice(_ hints: [(ip: String, zone: String?)]) -> EndpointSlice {
        var slice = Objects.slice(for: "web", hints.map { Objects.EP(ip: $0.ip) })
        for (index, hint) in hints.enumerated() {
            guard let zone = hint.zone else { continue }
            var forZone = ForZone()
            forZone.name = zone
            var endpointHints = EndpointHints()
            endpointHints.forZones = [forZone]
            slice.endpoints[index].hints = endpointHints
        }
        return slice
    }

    static let preferClose = Objects.service("web", clusterIP: "10.43.0.10") { $0.trafficDistribution = "PreferClose" }

    func backends(_ service: Service, _ slice: EndpointSlice, zone: String?) -> Destination? {
        var builder = ModelBuilder(nodeName: "node-a")
        builder.zone = zone
        return builder.build(services: [service], slices: [slice]).model.clusterIPs[Objects.address("10.43.0.10")]
    }

    func balance(_ ips: [String]) -> Destination {
        .balance(backends: ips.map { Objects.backend($0) }, affinitySeconds: nil, masquerade: .outsideClusterCIDR)
    }

    @Test func inZoneEndpointsWhenEveryEndpointIsHinted() {
        let hinted = Self.slice([("10.42.1.2", "z1"), ("10.42.2.2", "z2"), ("10.42.3.2", "z1")])
        #expect(backends(Self.preferClose, hinted, zone: "z1") == balance(["10.42.1.2", "10.42.3.2"]))
        #expect(backends(Self.preferClose, hinted, zone: "z2") == balance(["10.42.2.2"]))
    }

    @Test func everyEndpointOtherwise() {
        let all = balance(["10.42.1.2", "10.42.2.2"])
        let hinted = Self.slice([("10.42.1.2", "z1"), ("10.42.2.2", "z2")])
        #expect(backends(Self.preferClose, hinted, zone: nil) == all, "the node has no zone")
        #expect(backends(Self.preferClose, hinted, zone: "z3") == all, "no endpoint for this zone")
        #expect(backends(Self.preferClose, Self.slice([("10.42.1.2", "z1"), ("10.42.2.2", nil)]), zone: "z1") == all, "one is not hinted")
        #expect(backends(Objects.service("web", clusterIP: "10.43.0.10"), hinted, zone: "z1") == all, "the Service did not ask")
        var annotated = Objects.service("web", clusterIP: "10.43.0.10")
        annotated.metadata.annotations = ["service.kubernetes.io/topology-mode": "Auto"]
        #expect(backends(annotated, hinted, zone: "z1") == balance(["10.42.1.2"]), "the older annotation asks too")
    }

    /// The proxier watches its Node: a change of its zone label reprograms the Services.
    @Test func theProxierFollowsItsNodesZone() async throws {
        try await TestAPI.with { client in
            var node = Node()
            node.metadata.name = "node-a"
            node.metadata.labels = ["topology.kubernetes.io/zone": "z1"]
            node = try await client.create(node)
            var configuration = Proxier.Configuration(nodeName: "node-a", clusterCIDR: Fixtures.cidr)
            configuration.minSyncInterval = .milliseconds(20)
            let transport = RecordingTransport()
            let proxier = Proxier(client: client, transport: transport, configuration: configuration)
            let running = Task { await proxier.run() }
            defer { running.cancel() }
            _ = try await client.create(Self.preferClose)
            _ = try await client.create(Self.slice([("10.42.1.2", "z1"), ("10.42.2.2", "z2")]))
            func programmed(_ element: String) -> Bool { transport.recorded.flatMap(BatchListing.lines).contains { $0.contains(element) } }
            #expect(try await eventually { programmed("0 . 10.43.0.10 . tcp . 80 : 10.42.1.2 . 8080") })
            #expect(!programmed("10.42.2.2 . 8080"))
            node.metadata.labels = ["topology.kubernetes.io/zone": "z2"]
            _ = try await client.update(node)
            #expect(try await eventually { programmed("0 . 10.43.0.10 . tcp . 80 : 10.42.2.2 . 8080") })
            running.cancel()
            await running.value
        }
    }
}
