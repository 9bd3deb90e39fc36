import Foundation
import SkiffAPI
import SkiffAPIServer
import SkiffClient
@testable import SkiffRuntime
import SkiffStore
import Synchronization
import Testing

/// Root tests run real containers; without root they are skipped with this reason.
let isRoot = getuid() == 0
let needsRoot = "needs root: starts real containers (namespaces, mounts, cgroups)"

/// A temporary directory with a busybox root filesystem (from the host's
/// busybox-static) and a container runtime rooted inside it; everything is
/// removed when the fixture goes away.
final class BusyboxRuntime: @unchecked Sendable {
    let directory: String
    let rootfs: String
    let runtime: ContainerRuntime

    init() throws {
        directory = NSTemporaryDirectory() + "skiff-kubelet-\(UUID().uuidString.prefix(8))"
        rootfs = directory + "/busybox"
        try Self.makeBusyboxRootfs(at: rootfs)
        runtime = try ContainerRuntime(root: directory + "/runtime", cgroups: nil)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A container config that runs `command` in the busybox root.
    func config(_ command: [String], change: (inout ContainerConfig) -> Void = { _ in }) -> ContainerConfig {
        var config = ContainerConfig(
            command: command, environment: ["PATH=/bin", "HOME=/root"], hostname: "busybox",
            rootfs: .layers([rootfs]), noNewPrivileges: true)
        change(&config)
        return config
    }

    /// Creates and starts a container; the caller removes it.
    func start(_ id: String, _ command: [String], change: (inout ContainerConfig) -> Void = { _ in }) async throws {
        _ = try await runtime.create(id: id, config: config(command, change: change))
        _ = try await runtime.start(id: id)
    }

    /// Stops (if running) and removes a container, ignoring one already gone.
    func removeQuietly(_ id: String) async {
        _ = try? await runtime.stop(id: id, gracePeriod: 0)
        try? await runtime.remove(id: id)
    }

    static func makeBusyboxRootfs(at path: String) throws {
        let files = FileManager.default
        for directory in ["bin", "etc", "tmp", "root", "proc", "sys", "dev", "www"] {
            try files.createDirectory(atPath: "\(path)/\(directory)", withIntermediateDirectories: true)
        }
        try files.copyItem(atPath: "/bin/busybox", toPath: "\(path)/bin/busybox")
        let applets = [
            "sh", "cat", "echo", "grep", "hostname", "id", "ls", "mount", "sleep", "head", "true", "false", "kill",
            "wc", "dd", "tail", "httpd", "nc", "env", "touch", "rm", "test", "stty", "tty",
        ]
        for applet in applets {
            try files.createSymbolicLink(atPath: "\(path)/bin/\(applet)", withDestinationPath: "busybox")
        }
        try "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n".write(
            toFile: "\(path)/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\nnogroup:x:65534:\n".write(toFile: "\(path)/etc/group", atomically: true, encoding: .utf8)
    }
}

/// A real API server in this process: plain HTTP on 127.0.0.1 over a memory store.
struct TestAPIServer {
    let client: APIClient
    let port: Int

    static func with<T>(_ body: (TestAPIServer) async throws -> T) async throws -> T {
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = true
        let api = APIServer(store: MemoryStore(), configuration: configuration)
        try await api.start()
        let http = APIHTTPServer(handler: api)
        let port = try await http.start(host: "127.0.0.1", port: 0, tls: nil)
        let client = try APIClient(.plainHTTP(port: port))
        func stop() async {
            client.close()
            await http.stop(gracePeriod: .seconds(1))
            await api.stop()
        }
        do {
            let result = try await body(TestAPIServer(client: client, port: port))
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    /// Another client of the same server, e.g. for a component under test.
    func newClient() throws -> APIClient {
        try APIClient(.plainHTTP(port: port))
    }
}

/// Polls until `condition` holds or about 30 s pass (no timing is asserted).
func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<600 {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}

/// Runs a program to its end without holding a thread of the cooperative pool
/// (two on these machines: a test blocked on a program that talks to a server in
/// this process would starve that server). Output and errors together, as read.
func runProgram(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, stdout: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let output = Mutex(Data())
    let drained = DispatchGroup()
    drained.enter()
    // A thread that holds the pipe until end of file (a dispatch readability handler
    // would outlive a pipe closed under it).
    Thread.detachNewThread {
        let handle = pipe.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            output.withLock { $0.append(chunk) }
        }
        drained.leave()
    }
    let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
        process.terminationHandler = { ended in
            // A process another test started at the same moment may hold the pipe too:
            // end of file is waited for only briefly.
            _ = drained.wait(timeout: .now() + 2)
            continuation.resume(returning: ended.terminationStatus)
        }
        do { try process.run() } catch {
            process.terminationHandler = nil
            try? pipe.fileHandleForWriting.close()   // so the reader ends
            continuation.resume(throwing: error)
        }
    }
    return (status, String(decoding: output.withLock { $0 }, as: UTF8.self))
}
