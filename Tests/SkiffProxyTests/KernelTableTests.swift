import Foundation
import SkiffProxy
import Testing

/// The backend against the kernel, in a network namespace of the test's own.
@Suite("nftables table in a network namespace", .serialized, .enabled(if: isRoot, "\(needsRoot)"))
struct KernelTableTests {
    func withNamespace(_ body: (String, NFTablesBackend) async throws -> Void) async throws {
        try await withScratchNamespace("skpt") { name in
            let backend = NFTablesBackend(
                transport: try NetfilterSocket(namespacePath: "/run/netns/\(name)"), clusterCIDR: Fixtures.cidr)
            try await body(name, backend)
        }
    }

    func list(_ namespace: String) async throws -> String {
        try await must("/usr/bin/nsenter", ["--net=/run/netns/\(namespace)", "--", "/usr/sbin/nft", "list", "table", "ip", "skiff"])
    }

    @Test func fullSyncBuildsTheMapDrivenTable() async throws {
        try await withNamespace { namespace, backend in
            try backend.sync(RulesetState(model: Fixtures.model()))
            let listing = try await list(namespace)
            #expect(listing.contains("10.43.0.10 . tcp . 80 : goto cluster_2"))
            #expect(listing.contains("0x00000001 . 10.43.0.10 . tcp . 80 : 10.42.2.2 . 8080"))
            #expect(listing.contains("dnat ip to numgen random mod 2 . ip daddr . meta l4proto . th dport map @slots"))
            #expect(listing.contains("10.43.0.12 . tcp . 80 : goto reject_endpointless"))
            #expect(listing.contains("update @affinity { ip saddr . ip daddr . meta l4proto . th dport timeout 3h : meta mark }"))
            #expect(listing.contains("ct status dnat ip saddr . ip daddr @hairpin masquerade fully-random"))
            #expect(listing.components(separatedBy: "\tchain ").count - 1 == 9 + 3)
        }
    }

    @Test func partialSyncAddsAServiceAndAHandDeletedTableIsRebuilt() async throws {
        try await withNamespace { namespace, backend in
            try backend.sync(RulesetState(model: Fixtures.model(extraServices: 10)))
            try backend.sync(RulesetState(model: Fixtures.model(extraServices: 11)))
            #expect(try await list(namespace).contains("10.43.100.10 . tcp . 80 : goto cluster_2"))
            try await must("/usr/bin/nsenter", ["--net=/run/netns/\(namespace)", "--", "/usr/sbin/nft", "delete", "table", "ip", "skiff"])
            // The partial sync finds no table: the kernel refuses it, and the backend
            // forgets what it applied, so the next sync rebuilds everything.
            #expect(throws: ProxyError.self) { try backend.sync(RulesetState(model: Fixtures.model(extraServices: 12))) }
            try backend.sync(RulesetState(model: Fixtures.model(extraServices: 12)))
            let listing = try await list(namespace)
            #expect(listing.contains("10.43.100.11 . tcp . 80 : goto cluster_2"))
            #expect(listing.contains("10.43.0.10 . tcp . 80 : goto cluster_2"))
        }
    }

    /// The kernel takes the ip6 table as the unit tests expect it built (16-byte
    /// keys, the ten-register affinity key), and nft reads it back.
    @Test func theIPv6TableLoadsBesideTheIPv4One() async throws {
        try await withScratchNamespace("skpt") { name in
            let transport = try NetfilterSocket(namespacePath: "/run/netns/\(name)")
            // Load balancer IPs with source ranges in both tables, the whole space among them.
            var four = Fixtures.model()
            four.clusterIPs[Objects.address("203.0.113.7")] = .balance(
                backends: [Objects.backend("10.42.1.2")], affinitySeconds: nil, masquerade: .always,
                allowedSources: [IPCIDR("0.0.0.0/0")!])
            try NFTablesBackend(transport: transport, clusterCIDR: Fixtures.cidr).sync(RulesetState(model: four))
            let six = NFTablesBackend(transport: transport, clusterCIDR: Fixtures6.cidr)
            try six.sync(RulesetState(model: Fixtures6.model()))
            var model = Fixtures6.model()
            model.clusterIPs[Objects.address("fd43::13")] = .balance(
                backends: [Objects.backend("fd42:4::2")], affinitySeconds: nil, masquerade: .outsideClusterCIDR)
            model.clusterIPs[Objects.address("2001:db8::7")] = .balance(
                backends: [Objects.backend("fd42:4::2")], affinitySeconds: nil, masquerade: .always,
                allowedSources: [IPCIDR("2001:db8:1::/48")!, IPCIDR("fd00::/8")!])
            try six.sync(RulesetState(model: model))
            let listing = try await must(
                "/usr/bin/nsenter", ["--net=/run/netns/\(name)", "--", "/usr/sbin/nft", "list", "table", "ip6", "skiff"])
            #expect(listing.contains("fd43::10 . tcp . 80 : goto cluster_2"))
            #expect(listing.contains("fd43::13 . tcp . 80 : goto cluster_1"))
            #expect(listing.contains("0x00000001 . fd43::10 . tcp . 80 : fd42:2::2 . 8080"))
            #expect(listing.contains("dnat ip6 to numgen random mod 2 . ip6 daddr . meta l4proto . th dport map @slots"))
            #expect(listing.contains("update @affinity { ip6 saddr . ip6 daddr . meta l4proto . th dport timeout 3h : meta mark }"))
            #expect(listing.contains("ip6 daddr != ::1"))
            #expect(listing.contains("2001:db8::7 . tcp . 80 . 2001:db8:1::/48"), "\(listing)")
            #expect(listing.contains("2001:db8::7 . tcp . 80 . fd00::/8"))
            #expect(listing.contains("ip6 daddr . meta l4proto . th dport . ip6 saddr != @firewall_allowed drop"))
            // ICMPv6 port unreachable, which nft prints as a plain reject in an ip6 table.
            #expect(listing.contains("chain reject_endpointless {\n\t\treject\n\t}"))
            let ip = try await list(name)
            #expect(ip.contains("10.43.0.10 . tcp . 80 : goto cluster_2"))
            #expect(ip.contains("203.0.113.7 . tcp . 80 . 0.0.0.0/0"), "\(ip)")
        }
    }
}
