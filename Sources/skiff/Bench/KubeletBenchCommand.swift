import ArgumentParser
import Foundation

/// `skiff bench kubelet`: pod startup latency and agent memory on one node.
/// Everything runs in a network namespace the benchmark makes and removes: the
/// command re-runs itself inside it with nsenter (not `ip netns exec`, which
/// remounts /sys and so hides the cgroup hierarchy).
struct BenchKubeletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubelet",
        abstract: "Pod startup latency (create → Running seen by a watch) and the kubelet's (or agent's) memory, in a network namespace (root)."
    )

    @Option(help: "Pods per measurement.") var pods = 30
    @Option(help: "The test image as an OCI layout (scripts/build-test-image DIR).") var imageLayout: String
    @Flag(help: "Measure `skiff agent` (kubelet and service proxy, joined with the node token) instead of `skiff kubelet`.")
    var agent = false
    @Option(help: ArgumentHelp(visibility: .hidden)) var insideNamespace: String?

    func run() async throws {
        guard getuid() == 0 else { throw ValidationError("skiff bench kubelet needs root (containers, namespaces)") }
        let executable = ProcessInfo.processInfo.arguments[0]
        if let namespace = insideNamespace {
            try await KubeletBenchmark(
                executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path, pods: pods,
                imageLayout: imageLayout, agent: agent, namespace: namespace
            ).run()
            return
        }
        let namespace = "skiff-bench-\(getpid())"
        try Self.ip(["netns", "add", namespace])
        defer { try? Self.ip(["netns", "delete", namespace]) }
        try Self.ip(["-n", namespace, "link", "set", "lo", "up"])
        let inner = Process()
        inner.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        inner.arguments = [
            "--net=/run/netns/\(namespace)", "--", URL(fileURLWithPath: executable).standardizedFileURL.path, "bench", "kubelet",
            "--pods", String(pods), "--image-layout", imageLayout, "--inside-namespace", namespace,
        ] + (agent ? ["--agent"] : [])
        try inner.run()
        inner.waitUntilExit()
        guard inner.terminationStatus == 0 else { throw ExitCode(inner.terminationStatus) }
    }

    static func ip(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("ip \(arguments.joined(separator: " ")) failed")
        }
    }
}
