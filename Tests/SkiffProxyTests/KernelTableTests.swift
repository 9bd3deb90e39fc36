import Foundation
import SkiffProxy
import Testing

/// The backend against the kernel, in a network namespace of the test's own.
@Suite("nftables table in a network namespace", .serialized, .enabled(if: isRoot, "\(needsRoot)"))
struct KernelTableTests {
    func withNamespace(_ body: (String, NFTablesBackend) async throws -> Void) async throws {
        let name = "skpt\(String(UInt32.random(in: 0..<1_000_000), radix: 36))"
        try await must("/usr/sbin/ip", ["netns", "add", name])
        do {
            let backend = NFTablesBackend(
                transport: try NetfilterSocket(namespacePath: "/run/netns/\(name)"), clusterCIDR: Fixtures.cidr)
            try await body(name, backend)
        } catch {
            _ = try? await runProgram("/usr/sbin/ip", ["netns", "delete", name])
            throw error
        }
        _ = try? await runProgram("/usr/sbin/ip", ["netns", "delete", name])
    }

    func list(_ namespace: String) async throws -> String {
        try await must("/usr/bin/nsenter", ["--net=/run/netns/\(namespace)", "--", "/usr/sbin/nft", "list", "table", "ip", "skiff"])
    }

    @Test func fullSyncBuildsTheMapDrivenTable() async throws {
        try await withNamespace { namespace, backend in
            try backend.sync(RulesetState(model: Fixtures.model()))
            let listing = try await list(namespace)
            print(listing)
        }
    }
}
