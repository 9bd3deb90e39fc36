import ArgumentParser
import Foundation
import SkiffProxy

/// `skiff bench proxy`: programming N Services × 2 endpoints, in a network
/// namespace of its own — Skiff's map-driven nftables batch, Skiff's iptables
/// backend (iptables-restore) and the upstream nftables shape (a chain per
/// Service and per endpoint) loaded with `nft -f`, in one run.
struct BenchProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Full sync and one added Service: Skiff's nftables and iptables backends against per-Service chains via nft -f (root)."
    )

    @Option(help: "Services (each with 2 endpoints) in the full sync.")
    var services = 10_000

    @Option(help: "Times each one-Service addition is repeated (the median is reported).")
    var additions = 5

    @Flag(help: "Leave out the upstream shape (it takes minutes to load at 10,000 Services).")
    var skipUpstream = false

    @Flag(help: "Leave out Skiff's iptables backend.")
    var skipIptables = false

    @Option(help: "Seconds of connections per connection-rate row (0 leaves the rows out).")
    var connectSeconds = 3.0

    func validate() throws {
        guard services > 0, services < 60_000, additions > 0 else {
            throw ValidationError("--services must be in 1..<60000, --additions positive")
        }
        guard getuid() == 0 else { throw ValidationError("skiff bench proxy needs root (a network namespace, nftables)") }
    }

    func run() async throws {
        let namespace = "skiff-bench-proxy-\(getpid())"
        try ProxyBenchmark.shell("/usr/sbin/ip", ["netns", "add", namespace])
        defer { _ = try? ProxyBenchmark.shell("/usr/sbin/ip", ["netns", "delete", namespace]) }
        let benchmark = ProxyBenchmark(namespace: namespace, services: services, additions: additions)
        print("proxy benchmark: \(services) Services × 2 endpoints, network namespace \(namespace)")
        print("peer: \(try ProxyBenchmark.shell("/usr/sbin/nft", ["--version"]).trimmingCharacters(in: .whitespacesAndNewlines)), "
            + "\(try ProxyBenchmark.shell("/usr/bin/env", ["iptables", "--version"]).trimmingCharacters(in: .whitespacesAndNewlines)), "
            + "kernel \(try ProxyBenchmark.shell("/usr/bin/uname", ["-r"]).trimmingCharacters(in: .whitespacesAndNewlines)) "
            + "(\(ProcessInfo.processInfo.operatingSystemVersionString))\n")
        print("| ruleset | full sync s | +1 Service ms (median) | chains |")
        print("|---|---:|---:|---:|")
        let skiff = try benchmark.skiff()
        print("| skiff map-driven (one libnftnl batch) | \(format(skiff.full)) | \(format(skiff.add * 1000)) | \(skiff.chains) |")
        print("| skiff, +1 Service without updating the model and state (the batch and transaction) | | \(format((skiff.add - skiff.diff) * 1000)) | |")
        print("| skiff, the proxier's first model from \(services) Service and slice objects (before the full sync) | \(format(skiff.model)) | | |")
        var iptables: ProxyBenchmark.Result?
        if !skipIptables {
            let result = try await benchmark.iptables()
            print("| skiff iptables backend (iptables-restore --noflush) | \(format(result.full)) | \(format(result.add * 1000)) | \(result.chains) |")
            print("| skiff iptables, +1 Service without the state comparison (rules and restore) | | \(format((result.add - result.diff) * 1000)) | |")
            iptables = result
        }
        let upstream = skipUpstream ? nil : try benchmark.upstream()
        if let upstream {
            print("| per-Service chains via nft -f (upstream shape) | \(format(upstream.full)) | \(format(upstream.add * 1000)) | \(upstream.chains) |")
        }
        print("")
        if let upstream {
            print("ratios: full sync upstream/skiff = \(format(upstream.full / skiff.full))x; "
                + "+1 Service upstream/skiff = \(format(upstream.add / skiff.add))x")
        }
        if let iptables {
            print("ratios: full sync skiff iptables/skiff nftables = \(format(iptables.full / skiff.full))x; "
                + "+1 Service skiff iptables/skiff nftables = \(format(iptables.add / skiff.add))x")
        }
        if connectSeconds > 0 {
            let rates = try await ProxyConnectionRate(namespace: namespace, seconds: connectSeconds)
                .run(counts: [10, services], iptables: !skipIptables)
            print("\n| connections to a ClusterIP (the last Service) | Services | connections/s | failed |")
            print("|---|---:|---:|---:|")
            for row in rates { print("| \(row.label) | \(row.services) | \(String(format: "%.0f", row.perSecond)) | \(row.failures) |") }
        }
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
