import SkiffAPI
import SkiffProxy
import Testing

/// `loadBalancerSourceRanges`: a LoadBalancer Service's load balancer IPs take new
/// connections only from the listed ranges; its cluster IP, external IPs and
/// NodePorts are not restricted (as upstream's kube-proxy).
@Suite("Load balancer source ranges")
struct SourceRangeTests {
    static func service(ranges: [String]) -> Service {
        var service = Objects.service("lb", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)]) {
            $0.type = ServiceType.loadBalancer
            $0.externalIPs = ["192.168.200.9"]
            $0.loadBalancerSourceRanges = ranges
        }
        var ingress = LoadBalancerIngress()
        ingress.ip = "203.0.113.7"
        service.status.loadBalancer.ingress = [ingress]
        return service
    }

    static let slices = [Objects.slice(for: "lb", [.init(ip: "10.42.0.5")])]
    static let backends = [Objects.backend("10.42.0.5")]

    @Test func onlyTheLoadBalancerIPsAreRestrictedAndOnlyToTheirFamily() {
        let built = ModelBuilder(nodeName: "node-a", family: .ipv4, nodeFamilies: [.ipv4, .ipv6])
            .build(services: [Self.service(ranges: ["192.0.2.0/24", " 198.51.100.0/25", "2001:db8::/64"])], slices: Self.slices)
        #expect(built.problems.isEmpty)
        #expect(built.model.clusterIPs[Objects.address("203.0.113.7")] == .balance(
            backends: Self.backends, affinitySeconds: nil, masquerade: .always,
            allowedSources: [IPCIDR("192.0.2.0/24")!, IPCIDR("198.51.100.0/25")!]))
        #expect(built.model.clusterIPs[Objects.address("192.168.200.9")] == .balance(
            backends: Self.backends, affinitySeconds: nil, masquerade: .always))
        #expect(built.model.clusterIPs[Objects.address("10.43.0.10")] == .balance(
            backends: Self.backends, affinitySeconds: nil, masquerade: .outsideClusterCIDR))
        #expect(built.model.nodePorts[NodePortKey(proto: .tcp, port: 30080)] == .balance(
            backends: Self.backends, affinitySeconds: nil, masquerade: .always))
    }

    @Test func rangesOnlyOfTheOtherFamilyLeaveThisOneOpenAsUpstream() {
        let built = ModelBuilder(nodeName: "node-a").build(services: [Self.service(ranges: ["2001:db8::/64"])], slices: Self.slices)
        #expect(built.model.clusterIPs[Objects.address("203.0.113.7")] == .balance(
            backends: Self.backends, affinitySeconds: nil, masquerade: .always))
    }

    /// Overlapping ranges would make the kernel refuse the whole batch: the model
    /// keeps only those no other one covers.
    @Test func overlappingRangesAreReducedToTheirCover() {
        let built = ModelBuilder(nodeName: "node-a").build(
            services: [Self.service(ranges: ["10.1.0.0/16", "10.0.0.0/8", "192.0.2.0/24", "10.1.2.0/24", "192.0.2.0/24"])],
            slices: Self.slices)
        #expect(built.model.clusterIPs[Objects.address("203.0.113.7")] == .balance(
            backends: Self.backends, affinitySeconds: nil, masquerade: .always,
            allowedSources: [IPCIDR("10.0.0.0/8")!, IPCIDR("192.0.2.0/24")!]))
        let everything = ModelBuilder(nodeName: "node-a").build(
            services: [Self.service(ranges: ["10.0.0.0/8", "0.0.0.0/0"])], slices: Self.slices)
        #expect(everything.model.clusterIPs[Objects.address("203.0.113.7")] == .balance(
            backends: Self.backends, affinitySeconds: nil, masquerade: .always, allowedSources: [IPCIDR("0.0.0.0/0")!]))
    }

    /// As upstream's allowFromNode: when the ranges hold one of this node's
    /// addresses, the load balancer IPs themselves may be the source (a VIP bound
    /// on the node, reached from the node, arrives from the VIP).
    @Test func rangesHoldingTheNodeAlsoAdmitTheLoadBalancerIPs() {
        var builder = ModelBuilder(nodeName: "node-a")
        builder.nodeAddresses = [IPAddress("192.0.2.10")!]
        let built = builder.build(services: [Self.service(ranges: ["192.0.2.0/24"])], slices: Self.slices)
        #expect(built.model.clusterIPs[Objects.address("203.0.113.7")] == .balance(
            backends: Self.backends, affinitySeconds: nil, masquerade: .always,
            allowedSources: [IPCIDR("192.0.2.0/24")!, IPCIDR("203.0.113.7/32")!]))
        builder.nodeAddresses = [IPAddress("198.51.100.1")!]
        #expect(builder.build(services: [Self.service(ranges: ["192.0.2.0/24"])], slices: Self.slices)
            .model.clusterIPs[Objects.address("203.0.113.7")] == .balance(
                backends: Self.backends, affinitySeconds: nil, masquerade: .always, allowedSources: [IPCIDR("192.0.2.0/24")!]),
            "the node is outside the ranges")
    }

    @Test func theTableDropsWhatTheRangesDoNotAllow() throws {
        var model = ProxyModel()
        model.clusterIPs[Objects.address("203.0.113.7")] = .balance(
            backends: Self.backends, affinitySeconds: nil, masquerade: .always, allowedSources: [IPCIDR("192.168.200.0/24")!])
        let transport = RecordingTransport()
        try NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr).sync(RulesetState(model: model))
        let listing = BatchListing.lines(transport.recorded[0])
        // What nft --debug=netlink printed for the same rule, but its byteorder of the
        // one-byte protocol (a no-op).
        let rule = """
              [ ct load state => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0x00000008 ) ^ 0x00000000 ]
              [ cmp neq reg 1 0x00000000 ]
              [ payload load 4b @ network header + 16 => reg 1 ]
              [ meta load l4proto => reg 9 ]
              [ payload load 2b @ transport header + 2 => reg 10 ]
              [ lookup reg 1 set firewalled ]
              [ payload load 4b @ network header + 16 => reg 1 ]
              [ meta load l4proto => reg 9 ]
              [ payload load 2b @ transport header + 2 => reg 10 ]
              [ payload load 4b @ network header + 12 => reg 11 ]
              [ lookup reg 1 set firewall_allowed 0x1 ]
              [ immediate reg 0 drop ]
            """
        #expect(listing.contains("add rule filter_prerouting\n" + rule))
        #expect(listing.contains("add rule filter_output\n" + rule))
        #expect(listing.contains("add element firewalled { 203.0.113.7 . tcp . 80 }"))
        #expect(listing.contains(
            "add element firewall_allowed { 203.0.113.7 . tcp . 80 . 192.168.200.0 - 203.0.113.7 . tcp . 80 . 192.168.200.255 }"))
    }

    @Test func iptablesJumpsThroughAFirewallChainAndDropsTheRest() async throws {
        let model = ModelBuilder(nodeName: "node-a").build(services: [Self.service(ranges: ["192.0.2.0/24"])], slices: Self.slices).model
        let runner = RecordingIPTablesRunner()
        _ = try await IPTablesBackend(runner: runner, clusterCIDR: Fixtures.cidr).apply(model, full: true)
        let input = try #require(runner.restores.first)
        let firewall = ChainName.firewall("default/lb", .tcp)
        #expect(input.contains("-A KUBE-SERVICES -d 203.0.113.7/32 -p tcp -m comment --comment \"default/lb external IP\" -m tcp --dport 80 -j \(firewall)"))
        #expect(input.contains("-A \(firewall) -s 192.0.2.0/24 -m comment --comment \"default/lb loadbalancer IP\" -j \(ChainName.external("default/lb", .tcp))"))
        #expect(input.contains("-A KUBE-SERVICES -d 203.0.113.7/32 -p tcp -m comment --comment \"default/lb traffic not accepted by \(firewall)\" -m tcp --dport 80 -j DROP"))
        // The external IP is not restricted.
        #expect(input.contains("-d 192.168.200.9/32 -p tcp -m comment --comment \"default/lb external IP\" -m tcp --dport 80 -j \(ChainName.external("default/lb", .tcp))"))
    }
}
