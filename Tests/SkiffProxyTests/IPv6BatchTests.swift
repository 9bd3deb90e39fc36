import SkiffProxy
import Testing

/// The `ip6 skiff` table: the same chains and sets as `ip skiff`, with 16-byte
/// addresses where IPv6 keeps them. Expected bytecode is what `nft --debug=netlink
/// -f` printed for the same rules written by hand in an ip6 table (nft 1.0.6),
/// except where noted.
@Suite("nftables batches for the ip6 table")
struct IPv6BatchTests {
    func fullSync() throws -> [String] {
        let transport = RecordingTransport()
        try NFTablesBackend(transport: transport, clusterCIDR: Fixtures6.cidr).sync(RulesetState(model: Fixtures6.model()))
        return BatchListing.lines(transport.recorded[0])
    }

    @Test func theShapeChainsDNATToSixteenByteAddresses() throws {
        let listing = try fullSync()
        // nft names the port register "reg 2" (NFT_REG_2, 16-byte); reg 12 is the same storage as a 4-byte register.
        #expect(listing.contains("""
            add rule cluster_2
              [ numgen reg 1 = random mod 2 ]
              [ payload load 16b @ network header + 24 => reg 9 ]
              [ meta load l4proto => reg 13 ]
              [ payload load 2b @ transport header + 2 => reg 14 ]
              [ lookup reg 1 set slots dreg 1 ]
              [ nat dnat ip6 addr_min reg 1 proto_min reg 12 ]
            """))
        #expect(listing.contains("""
            add rule cluster_2
              [ payload load 7b @ network header + 8 => reg 1 ]
              [ cmp neq reg 1 0x000042fd 0x00000000 ]
              [ meta load mark => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0xffffbfff ) ^ 0x00004000 ]
              [ meta set mark with reg 1 ]
            """))
        // nft 1.0.6 cannot write this one (it runs out of registers: an assertion);
        // the key takes ten 4-byte registers, so the mark goes in the eleventh.
        #expect(listing.contains("""
            add rule sticky_cluster_1_10800
              [ payload load 16b @ network header + 8 => reg 1 ]
              [ payload load 16b @ network header + 24 => reg 12 ]
              [ meta load l4proto => reg 16 ]
              [ payload load 2b @ transport header + 2 => reg 17 ]
              [ meta load mark => reg 18 ]
              [ dynset update reg_key 1 set affinity sreg_data 18 timeout 10800000ms ]
            """))
        #expect(listing.contains("""
            add rule nat_postrouting
              [ ct load status => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0x00000020 ) ^ 0x00000000 ]
              [ cmp neq reg 1 0x00000000 ]
              [ payload load 16b @ network header + 8 => reg 1 ]
              [ payload load 16b @ network header + 24 => reg 12 ]
              [ lookup reg 1 set hairpin ]
              [ masq flags 0x10 ]
            """))
        #expect(listing.contains("""
            add rule services
              [ fib daddr type => reg 1 ]
              [ cmp eq reg 1 0x00000002 ]
              [ payload load 16b @ network header + 24 => reg 1 ]
              [ cmp neq reg 1 0x00000000 0x00000000 0x00000000 0x01000000 ]
              [ meta load l4proto => reg 1 ]
              [ payload load 2b @ transport header + 2 => reg 9 ]
              [ lookup reg 1 set node_ports dreg 0 ]
            """))
    }

    @Test func elementsCarryIPv6Keys() throws {
        let listing = try fullSync()
        let slots = listing.filter { $0.hasPrefix("add element slots") }
        for element in ["0 . fd43::10 . tcp . 80 : fd42:1::2 . 8080", "1 . fd43::10 . tcp . 80 : fd42:2::2 . 8080",
                        "0 . fd43::11 . tcp . 80 : fd42:3::2 . 8080"] {
            #expect(slots.first?.contains(element) == true, "\(element) in \(slots)")
        }
        #expect(listing.contains("add element no_endpoints { fd43::12 . tcp . 80 : goto reject_endpointless }"))
        #expect(listing.contains { $0.hasPrefix("add element hairpin") && $0.contains("fd42:3::2 . fd42:3::2") })
    }

    @Test func egressMasqueradeMasksAPartialPrefixByte() throws {
        let transport = RecordingTransport()
        try NFTablesBackend(transport: transport, clusterCIDR: IPCIDR("fd42::/60")!).sync(RulesetState(model: Fixtures6.model()))
        // nft loads all 16 bytes here; the first 8 hold the prefix.
        #expect(BatchListing.lines(transport.recorded[0]).contains("""
            add rule nat_postrouting
              [ payload load 8b @ network header + 8 => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0xffffffff 0xf0ffffff ) ^ 0x00000000 0x00000000 ]
              [ cmp eq reg 1 0x000042fd 0x00000000 ]
              [ payload load 8b @ network header + 24 => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0xffffffff 0xf0ffffff ) ^ 0x00000000 0x00000000 ]
              [ cmp neq reg 1 0x000042fd 0x00000000 ]
              [ masq flags 0x10 ]
            """))
    }

    /// The source-range check with IPv6 keys: address, protocol, port and source
    /// take ten 4-byte registers, the source from reg 14.
    @Test func theFirewallKeyHoldsTwoSixteenByteAddresses() throws {
        var model = ProxyModel()
        model.clusterIPs[Objects.address("2001:db8::7")] = .balance(
            backends: [Objects.backend("fd42:1::2")], affinitySeconds: nil, masquerade: .always,
            allowedSources: [IPCIDR("2001:db8:1::/48")!])
        let transport = RecordingTransport()
        try NFTablesBackend(transport: transport, clusterCIDR: Fixtures6.cidr).sync(RulesetState(model: model))
        let listing = BatchListing.lines(transport.recorded[0])
        #expect(listing.contains("""
            add rule filter_prerouting
              [ ct load state => reg 1 ]
              [ bitwise reg 1 = ( reg 1 & 0x00000008 ) ^ 0x00000000 ]
              [ cmp neq reg 1 0x00000000 ]
              [ payload load 16b @ network header + 24 => reg 1 ]
              [ meta load l4proto => reg 12 ]
              [ payload load 2b @ transport header + 2 => reg 13 ]
              [ lookup reg 1 set firewalled ]
              [ payload load 16b @ network header + 24 => reg 1 ]
              [ meta load l4proto => reg 12 ]
              [ payload load 2b @ transport header + 2 => reg 13 ]
              [ payload load 16b @ network header + 8 => reg 14 ]
              [ lookup reg 1 set firewall_allowed 0x1 ]
              [ immediate reg 0 drop ]
            """))
        #expect(listing.contains("add element firewall_allowed { 2001:db8::7 . tcp . 80 . 2001:db8:1:: - "
            + "2001:db8::7 . tcp . 80 . 2001:db8:1:ffff:ffff:ffff:ffff:ffff }"))
    }
}
