import Foundation
import SkiffAPI
@testable import SkiffKubelet
import Testing

/// The kubelet server reached the way clients reach it: through a real API
/// server's pods/log and pods/exec, by a raw client and by the kubectl on PATH.
@Suite("Kubelet server through the API server", .serialized, .timeLimit(.minutes(3)))
struct ServerThroughAPIServerTests {
    static let pods = "/api/v1/namespaces/default/pods"

    /// node-1 at 127.0.0.1 whose kubelet port is `kubeletPort`, and pod `name` on it with container `app`.
    static func register(_ api: TestAPIServer, kubeletPort: Int, pod name: String, node makeNode: Bool = true)
        async throws
    {
        if makeNode { try await registerNode(api, kubeletPort: kubeletPort) }
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        var container = Container()
        container.name = "app"
        container.image = "busybox"
        pod.spec.containers = [container]
        pod.spec.nodeName = "node-1"
        try await api.client.create(pod)
    }

    static func registerNode(_ api: TestAPIServer, kubeletPort: Int) async throws {
        var node = Node()
        node.metadata.name = "node-1"
        var created = try await api.client.create(node)
        var address = NodeAddress()
        address.type = "InternalIP"
        address.address = "127.0.0.1"
        created.status.addresses = [address]
        created.status.daemonEndpoints.kubeletEndpoint.Port = Int32(kubeletPort)
        node = try await api.client.updateStatus(created)
    }

    @Test func podLogsComeFromTheKubelet() async throws {
        let fixture = try LogFixture()
        try fixture.write(ServerLogsTests.lines)
        try await withKubelet(StaticDirectory([fixture.pod]), runtime: fixture.runtime) { kubeletPort in
            try await TestAPIServer.with { api in
                try await Self.register(api, kubeletPort: kubeletPort, pod: "web")
                let all = try await TestHTTP.get(port: api.port, "\(Self.pods)/web/log?container=app")
                #expect(all.status == 200)
                #expect(all.text == "one\ntwo\nthree\nfour\n")
                let tail = try await TestHTTP.get(port: api.port, "\(Self.pods)/web/log?tailLines=1&timestamps=true")
                #expect(tail.text == "2026-12-01T10:00:03Z four\n")
                // A pod the kubelet does not run: its 404, worded by the API server as upstream's.
                try await Self.register(api, kubeletPort: kubeletPort, pod: "ghost", node: false)
                let ghost = try await TestHTTP.get(port: api.port, "\(Self.pods)/ghost/log")
                #expect(ghost.status == 404)
                #expect(ghost.text.contains("the server could not find the requested resource ( pods/log ghost)"))
                if let kubectl = KubectlRunner.path {
                    let printed = try await KubectlRunner.run(kubectl, port: api.port, ["logs", "web", "--tail", "2"])
                    #expect(printed.status == 0, "\(printed.stderr)")
                    #expect(printed.stdout == "three\nfour\n")
                }
            }
        }
    }
}

/// Exec through the API server into a real container.
@Suite(
    "Kubelet server exec through the API server", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: isRoot, "\(needsRoot)"))
struct ServerExecThroughAPIServerTests {
    @Test func execThroughTheRelay() async throws {
        let box = try BusyboxRuntime()
        let id = "kserver-api-\(UUID().uuidString.prefix(8).lowercased())"
        try await box.start(id, ["sleep", "60"])
        do {
            try await execThroughTheRelay(box, id: id)
        } catch {
            await box.removeQuietly(id)
            throw error
        }
        await box.removeQuietly(id)
    }

    func execThroughTheRelay(_ box: BusyboxRuntime, id: String) async throws {
        let record = try await box.runtime.status(id: id)
        let pod = KubeletPodEntry(
            namespace: "default", name: "box", uid: "uid-box", containerNames: ["app"],
            statuses: ["app": KubeletContainerStatus(state: .running(KubeletContainerRef(id: id, logPath: record.logPath)))])
        try await withKubelet(StaticDirectory([pod]), runtime: box.runtime) { kubeletPort in
            try await TestAPIServer.with { api in
                try await ServerThroughAPIServerTests.register(api, kubeletPort: kubeletPort, pod: "box")
                let socket = try await TestWebSocket.open(
                    port: api.port,
                    "\(ServerThroughAPIServerTests.pods)/box/exec?command=sh&command=-c&command=cat%3B+exit+4&stdin=true",
                    protocols: ["v5.channel.k8s.io", "v4.channel.k8s.io"])
                #expect(socket.subprotocol == "v5.channel.k8s.io")
                try await socket.send(channel: 0, Array("through the relay\n".utf8))
                try await socket.send([255, 0])
                let transcript = try await ChannelTranscript.read(socket)
                #expect(transcript.text(1) == "through the relay\n")
                #expect(transcript.text(3).contains(#""causes":[{"reason":"ExitCode","message":"4"}]"#))
                if let kubectl = KubectlRunner.path {
                    let echoed = try await KubectlRunner.run(
                        kubectl, port: api.port, ["exec", "-i", "box", "--", "cat"], input: "hello kubectl\n")
                    #expect(echoed.status == 0, "\(echoed.stderr)")
                    #expect(echoed.stdout == "hello kubectl\n")
                    let failed = try await KubectlRunner.run(kubectl, port: api.port, ["exec", "box", "--", "sh", "-c", "exit 3"])
                    #expect(failed.status == 3, "\(failed.stderr)")
                    #expect(failed.stderr.contains("command terminated with exit code 3"))
                    // `exec -it` needs a terminal on kubectl's side too: script(1) gives it one.
                    if FileManager.default.isExecutableFile(atPath: "/usr/bin/script") {
                        let scratch = NSTemporaryDirectory() + "skiff-kserver-tty-\(UUID().uuidString.prefix(8))"
                        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
                        defer { try? FileManager.default.removeItem(atPath: scratch) }
                        try "apiVersion: v1\nkind: Config\n".write(
                            toFile: scratch + "/kserver-empty-kubeconfig", atomically: true, encoding: .utf8)
                        let command = [kubectl] + KubectlRunner.arguments(port: api.port, scratch: scratch)
                            + ["exec", "-it", "box", "--", "sh", "-c", "'test -t 0 && echo in-a-tty'"]
                        let terminal = try await KubectlRunner.runProcess(
                            "/usr/bin/script", ["-qec", command.joined(separator: " "), "/dev/null"], input: "")
                        #expect(terminal.status == 0, "\(terminal.stdout) \(terminal.stderr)")
                        #expect(terminal.stdout.contains("in-a-tty"), "\(terminal.stdout)")
                    }
                }
            }
        }
    }
}

/// The kubectl on PATH, run with an empty kubeconfig against a plain-HTTP API server on loopback.
enum KubectlRunner {
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let path: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        return path.split(separator: ":").map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// kubectl's flags for the API server on `port`, with an empty kubeconfig (so nothing
    /// of the machine's own configuration is read) in `scratch`.
    static func arguments(port: Int, scratch: String) -> [String] {
        ["--kubeconfig", scratch + "/kserver-empty-kubeconfig", "--server", "http://127.0.0.1:\(port)", "--cache-dir",
         scratch + "/kserver-kubectl-cache", "--request-timeout", "30s"]
    }

    static func run(_ kubectl: String, port: Int, _ arguments: [String], input: String = "") async throws -> Outcome {
        let scratch = NSTemporaryDirectory() + "skiff-kserver-kubectl-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try "apiVersion: v1\nkind: Config\n".write(
            toFile: scratch + "/kserver-empty-kubeconfig", atomically: true, encoding: .utf8)
        return try await runProcess(kubectl, Self.arguments(port: port, scratch: scratch) + arguments, input: input)
    }

    static func runProcess(_ executable: String, _ fullArguments: [String], input: String) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            // Waiting for the process blocks: a thread of its own.
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
                do { try process.run() } catch {
                    continuation.resume(throwing: error)
                    return
                }
                stdin.fileHandleForWriting.write(Data(input.utf8))
                try? stdin.fileHandleForWriting.close()
                nonisolated(unsafe) var errors = Data()
                let errorReader = Thread { errors = stderr.fileHandleForReading.readDataToEndOfFile() }
                errorReader.start()
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                while !errorReader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
                continuation.resume(
                    returning: Outcome(
                        status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                        stderr: String(decoding: errors, as: UTF8.self)))
            }
        }
    }
}
