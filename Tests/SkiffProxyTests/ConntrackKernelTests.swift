import Foundation
import Synchronization
import SkiffProxy
import Testing

/// ``ConntrackCommands`` against the kernel's conntrack table, in a network
/// namespace of the test's own: entries as a DNATed UDP flow leaves them, made with
/// `conntrack -I`, and only the stale ones deleted.
@Suite("UDP conntrack flushing in a network namespace", .serialized, .enabled(if: isRoot, "\(needsRoot)"))
struct ConntrackKernelTests {
    /// A flow from a client port to `service`:`port`, NATed to `endpoint`:5353.
    func insert(_ namespace: String, service: String, port: Int, endpoint: String, clientPort: Int) async throws {
        try await must("/usr/bin/nsenter", ["--net=/run/netns/\(namespace)", "--", "/usr/sbin/conntrack", "-I", "-p", "udp",
            "-s", "10.42.9.9", "-d", service, "--sport", "\(clientPort)", "--dport", "\(port)",
            "--reply-src", endpoint, "--reply-dst", "10.42.9.9", "--reply-port-src", "5353", "--reply-port-dst", "\(clientPort)",
            "-t", "300"])
    }

    func flows(_ namespace: String) async throws -> String {
        let (_, output) = try await runProgram("/usr/bin/nsenter", ["--net=/run/netns/\(namespace)", "--", "/usr/sbin/conntrack", "-L", "-p", "udp"])
        return output
    }

    @Test func onlyTheFlowsOfRemovedEndpointsAndRejectedServicesAreDeleted() async throws {
        try await withScratchNamespace("skpc") { name in
            try await insert(name, service: "10.43.0.53", port: 53, endpoint: "10.42.1.2", clientPort: 40001)
            try await insert(name, service: "10.43.0.53", port: 53, endpoint: "10.42.2.2", clientPort: 40002)
            try await insert(name, service: "10.43.0.54", port: 53, endpoint: "10.42.2.2", clientPort: 40003)
            // A flow to a Service that had no endpoints: not NATed (its reply comes from the ClusterIP itself).
            try await insert(name, service: "10.43.0.55", port: 53, endpoint: "10.43.0.55", clientPort: 40004)
            let problems = ProblemLog()
            let cleaner = ConntrackCommands(namespacePath: "/run/netns/\(name)", report: { problems.add($0) })
            await cleaner.delete([
                .clusterIPEndpoint(service: IPAddress("10.43.0.53")!, port: 53, endpoint: IPAddress("10.42.2.2")!),
                .clusterIP(service: IPAddress("10.43.0.55")!, port: 53),
                // None match: conntrack says so with status 1, which is no problem.
                .nodePortEndpoint(port: 30053, endpoint: IPAddress("10.42.7.7")!),
            ])
            let left = try await flows(name)
            #expect(left.contains("sport=40001"), "another endpoint of the same Service stays: \(left)")
            #expect(!left.contains("sport=40002"), "the removed endpoint's flow goes: \(left)")
            #expect(left.contains("sport=40003"), "the same endpoint behind another Service stays: \(left)")
            #expect(!left.contains("sport=40004"), "the rejected flow goes: \(left)")
            #expect(problems.all.isEmpty, "\(problems.all)")
        }
    }
}

/// Problems a cleaner reports, collected across threads.
final class ProblemLog: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
