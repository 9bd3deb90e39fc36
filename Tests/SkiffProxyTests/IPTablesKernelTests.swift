import Foundation
import SkiffProxy
import Testing

/// The iptables backend against the kernel (the iptables on PATH), in a network
/// namespace of the test's own.
@Suite("iptables chains in a network namespace", .serialized, .enabled(if: isRoot, "\(needsRoot)"))
struct IPTablesKernelTests {
    func withNamespace(_ body: (String, IPTablesBackend) async throws -> Void) async throws {
        try await withScratchNamespace("skpi") { name in
            let backend = IPTablesBackend(
                runner: IPTablesCommands(namespacePath: "/run/netns/\(name)"), clusterCIDR: IPTablesRestoreTests.cidr)
            try await body(name, backend)
        }
    }

    func save(_ namespace: String, _ table: String) async throws -> String {
        try await must("/usr/bin/nsenter", ["--net=/run/netns/\(namespace)", "--", "iptables-save", "-t", table])
    }

    @Test func fullThenPartialSyncsAndAHandDeletedChainIsRebuilt() async throws {
        try await withNamespace { namespace, backend in
            _ = try await backend.apply(IPTablesRestoreTests.model(extra: 2), full: true)
            let nat = try await save(namespace, "nat")
            let svc = ChainName.service("default/web", .tcp)
            #expect(nat.contains("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"))
            #expect(nat.contains("-A KUBE-SERVICES -d 10.43.0.10/32 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp --dport 80 -j \(svc)"))
            #expect(nat.contains("-m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-"))
            #expect(nat.contains("-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-"))
            let filter = try await save(namespace, "filter")
            #expect(filter.contains("-A INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES"))
            #expect(filter.contains("-d 10.43.0.12/32 -p tcp -m comment --comment \"default/empty has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable"))
            // FORWARD passes Service traffic through KUBE-FORWARD first (a DROP policy would stop it).
            let forward = filter.split(separator: "\n").filter { $0.hasPrefix("-A FORWARD ") || $0.hasPrefix("-A KUBE-FORWARD ") }
            #expect(forward == [
                "-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD",
                "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP",
                "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark 0x4000/0x4000 -j ACCEPT",
                "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            ])
            #expect(try await save(namespace, "nat").contains("-j MASQUERADE --random-fully"))

            // A partial sync adds one Service; a second full sync changes nothing twice (no duplicate jumps).
            _ = try await backend.apply(IPTablesRestoreTests.model(extra: 3), full: false)
            #expect(try await save(namespace, "nat").contains("-d 10.43.100.2/32"))
            _ = try await backend.apply(IPTablesRestoreTests.model(extra: 1), full: true)
            let resynced = try await save(namespace, "nat")
            #expect(!resynced.contains("-d 10.43.100.2/32"))
            #expect(!resynced.contains(ChainName.service("default/more-2", .tcp)), "the stale chain is deleted")
            #expect(resynced.components(separatedBy: "-j KUBE-POSTROUTING").count - 1 == 1)

            // Deleted by hand: the partial sync fails, the backend forgets, the next sync rebuilds.
            let ns = ["--net=/run/netns/\(namespace)", "--"]
            try await must("/usr/bin/nsenter", ns + ["iptables", "-t", "nat", "-F", "KUBE-SERVICES"])
            try await must("/usr/bin/nsenter", ns + ["iptables", "-t", "nat", "-F", svc])
            try await must("/usr/bin/nsenter", ns + ["iptables", "-t", "nat", "-D", ChainName.external("default/web", .tcp), "-j", svc])
            try await must("/usr/bin/nsenter", ns + ["iptables", "-t", "nat", "-X", svc])
            var changed = IPTablesRestoreTests.model(extra: 1)
            changed.clusterIPs[Objects.address("10.43.0.10")] = .reject
            await #expect(throws: ProxyError.self) { _ = try await backend.apply(changed, full: false) }
            _ = try await backend.apply(IPTablesRestoreTests.model(extra: 1), full: false)
            #expect(try await save(namespace, "nat").contains("-j \(svc)"))
        }
    }
}
