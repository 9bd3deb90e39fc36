import SkiffAPI
import SkiffProxy
import Testing

/// externalTrafficPolicy Local keeps an outside client's address by sending it
/// only to this node's endpoints; this node's pods and the node itself need no
/// such thing, and go to every endpoint (upstream's short-circuit).
@Suite("Local Services reached from this node")
struct LocalShortcutTests {
    static func service(policy: String) -> Service {
        Objects.service("web", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)]) {
            $0.externalIPs = ["192.168.200.1"]
            $0.externalTrafficPolicy = policy
        }
    }

    @Test func aLocalServiceHasShortcutsToEveryEndpoint() {
        let slices = [Objects.slice(for: "web", [.init(ip: "10.42.1.2"), .init(ip: "10.42.2.2", node: "node-b")])]
        let built = ModelBuilder(nodeName: "node-a").build(services: [Self.service(policy: "Local")], slices: slices)
        let all = Destination.balance(
            backends: [Objects.backend("10.42.1.2"), Objects.backend("10.42.2.2")], affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        #expect(built.model.shortcuts == [Objects.address("192.168.200.1"): all])
        #expect(built.model.nodePortShortcuts == [NodePortKey(proto: .tcp, port: 30080): all])
        #expect(built.model.clusterIPs[Objects.address("192.168.200.1")] == .balance(
            backends: [Objects.backend("10.42.1.2")], affinitySeconds: nil, masquerade: .never), "outside clients: this node's only")
    }

    @Test func withoutLocalEndpointsTheShortcutStaysAndWithoutAnyItGoes() {
        let elsewhere = [Objects.slice(for: "web", [.init(ip: "10.42.2.2", node: "node-b")])]
        let built = ModelBuilder(nodeName: "node-a").build(services: [Self.service(policy: "Local")], slices: elsewhere)
        #expect(built.model.clusterIPs[Objects.address("192.168.200.1")] == .drop)
        #expect(built.model.shortcuts.count == 1 && built.model.nodePortShortcuts.count == 1)
        let none = ModelBuilder(nodeName: "node-a").build(services: [Self.service(policy: "Local")], slices: [])
        #expect(none.model.shortcuts.isEmpty && none.model.nodePortShortcuts.isEmpty)
        let cluster = ModelBuilder(nodeName: "node-a").build(services: [Self.service(policy: "Cluster")], slices: elsewhere)
        #expect(cluster.model.shortcuts.isEmpty && cluster.model.nodePortShortcuts.isEmpty, "Cluster policy needs none")
    }

    @Test func theTableLooksShortcutsUpFirstForPodsAndTheNode() throws {
        let slices = [Objects.slice(for: "web", [.init(ip: "10.42.2.2", node: "node-b")])]
        let model = ModelBuilder(nodeName: "node-a").build(services: [Self.service(policy: "Local")], slices: slices).model
        let transport = RecordingTransport()
        try NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr).sync(RulesetState(model: model))
        let listing = BatchListing.lines(transport.recorded[0])
        let services = listing.filter { $0.hasPrefix("add rule services\n") }
        #expect(services.count == 6)
        #expect(services.first == """
            add rule services
              [ payload load 2b @ network header + 12 => reg 1 ]
              [ cmp eq reg 1 0x00002a0a ]
              [ payload load 4b @ network header + 16 => reg 1 ]
              [ meta load l4proto => reg 9 ]
              [ payload load 2b @ transport header + 2 => reg 10 ]
              [ lookup reg 1 set shortcuts dreg 0 ]
            """)
        #expect(services.dropFirst().first?.hasPrefix("add rule services\n  [ fib saddr type => reg 1 ]\n  [ cmp eq reg 1 0x00000002 ]") == true)
        #expect(listing.contains("add element shortcuts { 192.168.200.1 . tcp . 80 : goto shortcut_1 }"))
        #expect(listing.contains("add element shortcut_slots { 0 . 192.168.200.1 . tcp . 80 : 10.42.2.2 . 8080 }"))
        #expect(listing.contains("add element node_port_shortcuts { tcp . 30080 : goto node_port_shortcut_1 }"))
        // Outside clients are still dropped, in the nat chains (after the shortcuts).
        #expect(listing.contains { $0.hasPrefix("add element service_ips ") && $0.contains("192.168.200.1 . tcp . 80 : drop") })
    }

    @Test func iptablesShortCircuitsInTheExternalChain() async throws {
        let slices = [Objects.slice(for: "web", [.init(ip: "10.42.2.2", node: "node-b")])]
        let model = ModelBuilder(nodeName: "node-a").build(services: [Self.service(policy: "Local")], slices: slices).model
        let runner = RecordingIPTablesRunner()
        _ = try await IPTablesBackend(runner: runner, clusterCIDR: Fixtures.cidr).apply(model, full: true)
        let input = try #require(runner.restores.first)
        let external = ChainName.external("default/web", .tcp), cluster = ChainName.service("default/web", .tcp)
        #expect(input.contains("-A \(external) -s 10.42.0.0/16 -m comment --comment \"pod traffic for default/web external destinations\" -j \(cluster)"))
        #expect(input.contains("-A \(external) -m addrtype --src-type LOCAL -m comment --comment \"masquerade LOCAL traffic for default/web external destinations\" -j KUBE-MARK-MASQ"))
        #expect(input.contains("-A \(external) -m addrtype --src-type LOCAL -m comment --comment \"route LOCAL traffic for default/web external destinations\" -j \(cluster)"))
        #expect(input.contains("-d 192.168.200.1/32 -p tcp -m comment --comment \"default/web external IP\" -m tcp --dport 80 -j \(external)"))
        #expect(input.contains("--dport 30080 -j \(external)"))
        #expect(input.contains("-d 192.168.200.1/32 -p tcp -m comment --comment \"default/web has no local endpoints\" -m tcp --dport 80 -j DROP"))
    }
}
