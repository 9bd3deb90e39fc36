import SkiffProxy
import Testing

@Suite("nftables batches through the socket seam")
struct BatchTests {
    func lines(_ transport: RecordingTransport, _ index: Int) -> [String] {
        BatchListing.lines(transport.recorded[index])
    }

    /// A shape chain's last rule for two endpoints: a random slot, then DNAT to what
    /// `slots` maps (slot . address . protocol . port) to.
    static let dnatOverTwoSlots = """
          [ numgen reg 1 = random mod 2 ]
          [ payload load 4b @ network header + 16 => reg 9 ]
          [ meta load l4proto => reg 10 ]
          [ payload load 2b @ transport header + 2 => reg 11 ]
          [ lookup reg 1 set slots dreg 1 ]
          [ nat dnat ip addr_min reg 1 proto_min reg 9 ]
        """

    /// The bytecode of the shape chains, compared with what `nft --debug=netlink -f`
    /// printed for the same rules written by hand (docs/proxy.md).
    @Test func shapeChainsAreTheRulesNftWouldSend() throws {
        let transport = RecordingTransport()
        try NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr).sync(RulesetState(model: Fixtures.model()))
        let listing = lines(transport, 0)
        #expect(listing.contains("add rule cluster_2\n" + Self.dnatOverTwoSlots))
        #expect(listing.contains("""
            add rule cluster_2
              [ payload load 2b @ network header + 12 => reg 1 ]
              [ cmp neq reg 1 0x00002a0a ]
              [ meta load mark => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0xffffbfff ) ^ 0x00004000 ]
              [ meta set mark with reg 1 ]
            """))
        #expect(listing.contains("""
            add rule sticky_cluster_1_10800
              [ payload load 4b @ network header + 12 => reg 1 ]
              [ payload load 4b @ network header + 16 => reg 9 ]
              [ meta load l4proto => reg 10 ]
              [ payload load 2b @ transport header + 2 => reg 11 ]
              [ meta load mark => reg 2 ]
              [ dynset update reg_key 1 set affinity sreg_data 2 timeout 10800000ms ]
            """))
        #expect(listing.contains("""
            add rule nat_postrouting
              [ ct load status => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0x00000020 ) ^ 0x00000000 ]
              [ cmp neq reg 1 0x00000000 ]
              [ payload load 4b @ network header + 12 => reg 1 ]
              [ payload load 4b @ network header + 16 => reg 9 ]
              [ lookup reg 1 set hairpin ]
              [ masq flags 0x10 ]
            """))
        // A chain per shape, none per Service: 3 destinations balance, in 3 shapes.
        #expect(listing.filter { $0.hasPrefix("add chain ") }.count == 9 + 3)
        let slots = listing.filter { $0.hasPrefix("add element slots") }
        #expect(slots.count == 1)
        for element in ["0 . 10.43.0.10 . tcp . 80 : 10.42.1.2 . 8080", "1 . 10.43.0.10 . tcp . 80 : 10.42.2.2 . 8080",
                        "0 . 10.43.0.11 . tcp . 80 : 10.42.3.2 . 8080"] {
            #expect(slots.first?.contains(element) == true, "\(element) in \(slots)")
        }
        #expect(listing.contains("add element no_endpoints { 10.43.0.12 . tcp . 80 : goto reject_endpointless }"))
        #expect(Array(listing.prefix(3)) == ["add table", "delete table", "add table"])
    }

    /// Pods' traffic leaving the cluster CIDR is masqueraded; compared with what
    /// `nft --debug=netlink` prints for `ip saddr C ip daddr != C masquerade`.
    @Test func egressMasqueradeRuleAsNftWouldSendIt() throws {
        let transport = RecordingTransport()
        try NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr).sync(RulesetState(model: Fixtures.model()))
        #expect(lines(transport, 0).contains("""
            add rule nat_postrouting
              [ payload load 2b @ network header + 12 => reg 1 ]
              [ cmp eq reg 1 0x00002a0a ]
              [ payload load 2b @ network header + 16 => reg 1 ]
              [ cmp neq reg 1 0x00002a0a ]
              [ masq flags 0x10 ]
            """))
        let unaligned = RecordingTransport()
        try NFTablesBackend(transport: unaligned, clusterCIDR: IPCIDR("10.40.0.0/13")!).sync(RulesetState(model: Fixtures.model()))
        #expect(lines(unaligned, 0).contains("""
            add rule nat_postrouting
              [ payload load 4b @ network header + 12 => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0x0000f8ff ) ^ 0x00000000 ]
              [ cmp eq reg 1 0x0000280a ]
              [ payload load 4b @ network header + 16 => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0x0000f8ff ) ^ 0x00000000 ]
              [ cmp neq reg 1 0x0000280a ]
              [ masq flags 0x10 ]
            """))
        let disabled = RecordingTransport()
        try NFTablesBackend(transport: disabled, clusterCIDR: Fixtures.cidr, egressMasquerade: false)
            .sync(RulesetState(model: Fixtures.model()))
        #expect(lines(disabled, 0).filter { $0.hasPrefix("add rule nat_postrouting") }.count == 2)
        #expect(lines(transport, 0).filter { $0.hasPrefix("add rule nat_postrouting") }.count == 3)
    }

    /// An external IP is keyed by address as a cluster IP is, but its chain
    /// masquerades every connection (externalTrafficPolicy Cluster) or none (Local).
    @Test func externalAddressesShareTheSlotsWithChainsThatMasqueradeAsNodePorts() throws {
        let transport = RecordingTransport()
        var model = ProxyModel()
        let web = [Objects.backend("10.42.1.2"), Objects.backend("10.42.2.2")]
        model.clusterIPs[Objects.address("192.168.200.1")] = .balance(backends: web, affinitySeconds: nil, masquerade: .always)
        model.clusterIPs[Objects.address("192.168.200.9")] = .balance(backends: web, affinitySeconds: nil, masquerade: .never)
        try NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr).sync(RulesetState(model: model))
        let listing = lines(transport, 0)
        let dnat = Self.dnatOverTwoSlots
        #expect(listing.contains("""
            add rule external_2
              [ meta load mark => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0xffffbfff ) ^ 0x00004000 ]
              [ meta set mark with reg 1 ]
            """))
        #expect(listing.contains("add rule external_2\n" + dnat))
        #expect(listing.filter { $0.hasPrefix("add rule external_local_2") } == ["add rule external_local_2\n" + dnat])
        // One message for both; a full sync sends elements in no particular order.
        let elements = listing.filter { $0.hasPrefix("add element service_ips ") }
        #expect(elements.count == 1)
        for element in ["192.168.200.1 . tcp . 80 : goto external_2", "192.168.200.9 . tcp . 80 : goto external_local_2"] {
            #expect(elements.first?.contains(element) == true, "\(element) in \(elements)")
        }
    }

    @Test func addingAServiceOfAKnownShapeSendsElementsOnly() throws {
        let transport = RecordingTransport()
        let backend = NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr)
        try backend.sync(RulesetState(model: Fixtures.model(extraServices: 100)))
        try backend.sync(RulesetState(model: Fixtures.model(extraServices: 101)))
        #expect(lines(transport, 1) == [
            "add element service_ips { 10.43.100.100 . tcp . 80 : goto cluster_2 }",
            "add element slots { 0 . 10.43.100.100 . tcp . 80 : 10.42.1.2 . 8080, 1 . 10.43.100.100 . tcp . 80 : 10.42.2.2 . 8080 }",
        ])
    }

    @Test func aNewShapeAddsItsChainAndAChangedEndpointIsDeleteThenAdd() throws {
        let transport = RecordingTransport()
        let backend = NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr)
        var model = Fixtures.model()
        try backend.sync(RulesetState(model: model))
        model.clusterIPs[Objects.address("10.43.0.10")] = .balance(
            backends: [Objects.backend("10.42.1.2"), Objects.backend("10.42.2.2"), Objects.backend("10.42.4.2")],
            affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        try backend.sync(RulesetState(model: model))
        let listing = lines(transport, 1)
        #expect(listing.first == "add chain cluster_3")
        #expect(listing.contains("delete element service_ips { 10.43.0.10 . tcp . 80 }"))
        #expect(listing.contains("add element service_ips { 10.43.0.10 . tcp . 80 : goto cluster_3 }"))
        #expect(listing.contains("add element slots { 2 . 10.43.0.10 . tcp . 80 : 10.42.4.2 . 8080 }"))
        #expect(listing.contains("add element hairpin { 10.42.4.2 . 10.42.4.2 }"))
        // Nothing to do: nothing sent.
        try backend.sync(RulesetState(model: model))
        #expect(transport.recorded.count == 2)
    }

    @Test func aFailedSyncIsFollowedByAFullOne() throws {
        let transport = RecordingTransport()
        let backend = NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr)
        try backend.sync(RulesetState(model: Fixtures.model()))
        transport.failNext(ProxyError("refused", errno: 2))
        #expect(throws: ProxyError.self) { try backend.sync(RulesetState(model: Fixtures.model(extraServices: 1))) }
        try backend.sync(RulesetState(model: Fixtures.model(extraServices: 1)))
        #expect(Array(lines(transport, 1).prefix(3)) == ["add table", "delete table", "add table"])
    }

    @Test func periodicFullSyncFlushesAndRemovesStaleShapes() throws {
        let transport = RecordingTransport()
        let backend = NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr)
        try backend.sync(RulesetState(model: Fixtures.model()))
        var model = Fixtures.model()
        model.clusterIPs[Objects.address("10.43.0.11")] = nil
        try backend.sync(RulesetState(model: model))
        try backend.sync(RulesetState(model: model), full: true)
        let listing = lines(transport, 2)
        #expect(!listing.contains("delete table"))
        #expect(listing.contains("flush set slots"))
        #expect(!listing.contains("flush set affinity"))
        #expect(listing.contains("delete chain sticky_cluster_1_10800"))
        #expect(!listing.contains("add chain sticky_cluster_1_10800"))
    }
}
