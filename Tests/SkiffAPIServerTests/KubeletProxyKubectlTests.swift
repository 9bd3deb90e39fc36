import Foundation
import Testing

@testable import SkiffAPIServer

/// The kubectl on PATH, or nil: the kubectl tests then skip, saying why.
enum KubectlOnPath {
    static let path: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        return path.split(separator: ":").map { "\($0)/kubectl" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()
}

/// The real kubectl through the API server to a fake kubelet: `kubectl logs`
/// and `kubectl exec` (WebSocket, v5.channel.k8s.io) over plain HTTP on loopback.
@Suite(
    "Kubelet proxy with kubectl", .serialized, .timeLimit(.minutes(2)),
    .enabled(if: KubectlOnPath.path != nil, "kubectl is not on PATH"))
struct KubeletProxyKubectlTests {

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs kubectl on a thread of its own (waiting blocks), with an empty
    /// kubeconfig so nothing of the machine's own configuration is read.
    static func kubectl(port: Int, _ arguments: [String], input: String? = nil) async throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let kubeconfig = scratch.appendingPathComponent("config").path
        try "apiVersion: v1\nkind: Config\n".write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let executable = try #require(KubectlOnPath.path)
        let fullArguments =
            [
                "--kubeconfig", kubeconfig, "--server", "http://127.0.0.1:\(port)", "--cache-dir",
                scratch.appendingPathComponent("cache").path, "--request-timeout", "20s",
            ] + arguments
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = fullArguments
                let stdout = Pipe()
                let stderr = Pipe()
                let stdin = Pipe()
                process.standardOutput = stdout
                process.standardError = stderr
                process.standardInput = stdin
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                stdin.fileHandleForWriting.write(Data((input ?? "").utf8))
                try? stdin.fileHandleForWriting.close()
                let errors = ByteSink()
                let errorReader = Thread { errors.append(stderr.fileHandleForReading.readDataToEndOfFile()) }
                errorReader.start()
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                while !errorReader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
                continuation.resume(
                    returning: Outcome(
                        status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                        stderr: String(decoding: errors.value, as: UTF8.self)))
            }
        }
    }

    func withCluster(_ body: (FakeKubelet, Int) async throws -> Void) async throws {
        let kubelet = try await FakeKubelet()
        do {
            let api = try await KubeletProxyFixture(kubeletPort: kubelet.port)
            try await api.withHTTP { port in try await body(kubelet, port) }
        } catch {
            await kubelet.stop()
            throw error
        }
        await kubelet.stop()
    }

    @Test func kubectlLogs() async throws {
        try await withCluster { kubelet, port in
            let all = try await Self.kubectl(port: port, ["logs", "web"])
            #expect(all.status == 0, "\(all.stderr)")
            #expect(all.stdout == "one\ntwo\nthree\n")
            let tail = try await Self.kubectl(port: port, ["logs", "multi", "-c", "b", "--tail", "1"])
            #expect(tail.stdout == "three\n", "\(tail.stderr)")
            #expect(kubelet.targets.contains("/containerLogs/default/multi/b?tailLines=1"))
            let unnamed = try await Self.kubectl(port: port, ["logs", "pending-nope"])
            #expect(unnamed.status != 0 && unnamed.stderr.contains("not found"))
        }
    }

    @Test func kubectlExec() async throws {
        try await withCluster { kubelet, port in
            let printed = try await Self.kubectl(port: port, ["exec", "web", "--", "echo", "hi"])
            #expect(printed.status == 0, "\(printed.stderr)")
            #expect(printed.stdout == "echo hi\n")
            let echoed = try await Self.kubectl(port: port, ["exec", "-i", "web", "--", "cat"], input: "hello\n")
            #expect(echoed.status == 0, "\(echoed.stderr)")
            #expect(echoed.stdout == "hello\n")
            #expect(kubelet.targets.contains("/exec/default/web/app?command=cat&stderr=true&stdin=true&stdout=true&tty=false"))
        }
    }
}
