import ArgumentParser
import Foundation
import SkiffProxy

/// `skiff bench proxy`: programming N Services × 2 endpoints into nftables, in a
/// network namespace of its own — Skiff's map-driven batch against the upstream
/// shape (a chain per Service and per endpoint) loaded with `nft -f`, in one run.
struct BenchProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Full sync and one added Service: Skiff's nftables backend against per-Service chains via nft -f (root)."
    )

    @Option(help: "Services (each with 2 endpoints) in the full sync.")
    var services = 10_000

    @Option(help: "Times each one-Service addition is repeated (the median is reported).")
    var additions = 5

    @Flag(help: "Measure only Skiff's backend (the upstream shape takes minutes to load at 10,000 Services).")
    var skipUpstream = false

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
            + "kernel \(ProcessInfo.processInfo.operatingSystemVersionString)\n")
        print("| ruleset | full sync s | +1 Service ms (median) | chains |")
        print("|---|---:|---:|---:|")
        let skiff = try benchmark.skiff()
        print("| skiff map-driven (one libnftnl batch) | \(format(skiff.full)) | \(format(skiff.add * 1000)) | \(skiff.chains) |")
        print("| skiff, +1 Service without the state comparison (the transaction) | | \(format((skiff.add - skiff.diff) * 1000)) | |")
        guard !skipUpstream else { return }
        let upstream = try benchmark.upstream()
        print("| per-Service chains via nft -f (upstream shape) | \(format(upstream.full)) | \(format(upstream.add * 1000)) | \(upstream.chains) |")
        print("\nratios: full sync upstream/skiff = \(format(upstream.full / skiff.full))x; "
            + "+1 Service upstream/skiff = \(format(upstream.add / skiff.add))x")
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
