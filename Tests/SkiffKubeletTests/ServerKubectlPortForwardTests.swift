import Foundation
import SkiffAPI
@testable import SkiffKubelet
@testable import SkiffRuntime
import Synchronization
import Testing

/// The real `kubectl port-forward` (SPDY tunneled in WebSocket) through a real API
/// server's relay to the kubelet server, into a busybox container's network namespace.
@Suite(
    "Kubelet server with kubectl port-forward", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: isRoot, "\(needsRoot)"), .enabled(if: KubectlRunner.path != nil, "kubectl is not on PATH"))
struct ServerKubectlPortForwardTests {
    @Test func kubectlPortForwardReachesThePod() async throws {
        let box = try BusyboxRuntime()
        try "hello through kubectl\n".write(toFile: box.rootfs + "/www/index.html", atomically: true, encoding: .utf8)
        // Larger than SPDY/3.1's initial 64 KiB window: neither side may wait for a WINDOW_UPDATE.
        try Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) })
            .write(to: URL(fileURLWithPath: box.rootfs + "/www/big.bin"))
        let id = "kserver-kpf-\(UUID().uuidString.prefix(8).lowercased())"
        try await box.start(id, ["httpd", "-f", "-p", "8080", "-h", "/www"])
        do {
            try await forward(box, id: id)
        } catch {
            await box.removeQuietly(id)
            throw error
        }
        await box.removeQuietly(id)
    }

    private func forward(_ box: BusyboxRuntime, id: String) async throws {
        let pid = try #require(try await box.runtime.status(id: id).pid)
        let namespace = "/proc/\(pid)/ns/net"
        try ServerPortForwardTests.run("/usr/bin/nsenter", ["--net=\(namespace)", "/usr/sbin/ip", "link", "set", "lo", "up"])
        let pod = KubeletPodEntry(
            namespace: "default", name: "box", uid: "uid-box", containerNames: ["app"], network: .namespace(path: namespace))
        try await withKubelet(StaticDirectory([pod]), runtime: box.runtime) { kubeletPort in
            try await TestAPIServer.with { api in
                try await ServerThroughAPIServerTests.register(api, kubeletPort: kubeletPort, pod: "box")
                // kubectl forwards only to a running pod.
                var running = try await api.client.get(Pod.self, "box", namespace: "default")
                running.status.phase = "Running"
                try await api.client.updateStatus(running)
                let kubectl = try KubectlProcess(
                    port: api.port, ["port-forward", "--address", "127.0.0.1", "pod/box", ":8080", ":9"])
                defer { kubectl.stop() }
                let localPorts = try await kubectl.forwardedPorts(count: 2)
                do {
                    try await Self.exercise(localPorts, kubectl)
                } catch {
                    Issue.record("\(error); kubectl said: \(kubectl.output)")
                }
            }
        }
    }

    private static func exercise(_ localPorts: [Int], _ kubectl: KubectlProcess) async throws {
                // Two connections one after the other over the same tunnel.
                for _ in 0..<2 {
                    let connection = try await LoopbackConnection.open(port: localPorts[0])
                    try await connection.send(Array("GET / HTTP/1.0\r\n\r\n".utf8))
                    let answer = String(decoding: try await connection.readToEnd(), as: UTF8.self)
                    #expect(answer.hasPrefix("HTTP/1."), "\(kubectl.output)")
                    #expect(answer.hasSuffix("hello through kubectl\n"))
                }
                let download = try await LoopbackConnection.open(port: localPorts[0])
                try await download.send(Array("GET /big.bin HTTP/1.0\r\n\r\n".utf8))
                let response = try await download.readToEnd()
                let bodyStart = try #require(LoopbackConnection.find([13, 10, 13, 10], in: response)) + 4
                #expect(response.count - bodyStart == 3 << 20)
                #expect(response[bodyStart...].elementsEqual((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) }))
                // Nothing listens on 9 in the pod: kubectl reports the kubelet's error.
                let refused = try await LoopbackConnection.open(port: localPorts[1])
                _ = try? await refused.readToEnd()
                #expect(
                    try await eventually {
                        kubectl.output.contains(
                            "error forwarding port 9 to pod box_default, uid uid-box: failed to connect to localhost:9")
                    }, "\(kubectl.output)")
    }
}

/// A long-running kubectl whose output is collected as it comes; stopped by its pid.
final class KubectlProcess: @unchecked Sendable {
    private let process = Process()
    private final class Collected: Sendable {
        let text = Mutex("")
    }
    private let collected = Collected()
    private let scratch: String

    init(port: Int, _ arguments: [String]) throws {
        scratch = NSTemporaryDirectory() + "skiff-kserver-kubectl-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        try "apiVersion: v1\nkind: Config\n".write(toFile: scratch + "/config", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: KubectlRunner.path ?? "/usr/bin/kubectl")
        process.arguments =
            ["--kubeconfig", scratch + "/config", "--server", "http://127.0.0.1:\(port)", "--cache-dir", scratch + "/cache"]
            + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let collected = self.collected
        try process.run()
        // Read on a thread that holds the pipe until end of file (a dispatch
        // readability handler could outlive the pipe, and fires on and on at its end).
        Thread.detachNewThread {
            while true {
                let data = pipe.fileHandleForReading.availableData
                if data.isEmpty { break }
                collected.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
    }

    var output: String { collected.text.withLock { $0 } }

    /// The local ports kubectl printed (`Forwarding from 127.0.0.1:PORT -> …`), in order.
    func forwardedPorts(count: Int) async throws -> [Int] {
        var ports: [Int] = []
        _ = try await eventually {
            ports = self.output.split(separator: "\n").compactMap { line -> Int? in
                guard line.hasPrefix("Forwarding from 127.0.0.1:") else { return nil }
                return Int(line.dropFirst("Forwarding from 127.0.0.1:".count).split(separator: " ").first ?? "")
            }
            return ports.count >= count || !self.process.isRunning
        }
        guard ports.count >= count else { throw LoopbackError.protocolViolation("kubectl did not forward: \(output)") }
        return ports
    }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: scratch)
    }
}
