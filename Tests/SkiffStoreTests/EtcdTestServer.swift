import Foundation
import SkiffStore

/// A throwaway single-member etcd (Debian's etcd-server) on 127.0.0.1 with free
/// ports and its data in a fresh directory (on tmpfs when /dev/shm exists, so
/// its fsyncs are cheap), stopped by its pid and removed by ``stop()``.
final class EtcdTestServer: @unchecked Sendable {
    static let executable = "/usr/bin/etcd"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }
    static let notInstalled = "\(executable) is not installed (Debian's etcd-server, see scripts/install-deps): the etcd cases are skipped"

    /// At most this many test etcds run at once: the machine has two cores.
    static let slots = AsyncSemaphore(4)

    /// Large enough for a Skiff value of ``StoreLimits/maxValueSize`` in a
    /// transaction (etcd counts the whole request; its default is exactly the
    /// value limit), as docs/store.md tells operators to start etcd.
    static let maxRequestBytes = StoreLimits.maxValueSize + 65_536

    let directory: URL
    let endpoint: EtcdEndpoint
    private let arguments: [String]
    private var process: Process

    private init(directory: URL, endpoint: EtcdEndpoint, arguments: [String]) throws {
        self.directory = directory
        self.endpoint = endpoint
        self.arguments = arguments
        process = try Self.launch(arguments, log: directory.appendingPathComponent("etcd.log").path)
    }

    private static func launch(_ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !FileManager.default.fileExists(atPath: log) {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
        }
        let handle = FileHandle(forWritingAtPath: log)
        handle?.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Starts etcd and returns once it serves reads.
    static func start() async throws -> EtcdTestServer {
        let parent = FileManager.default.fileExists(atPath: "/dev/shm")
            ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let directory = parent.appendingPathComponent("skiff-etcd-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (clientPort, peerPort) = try (freeLoopbackPort(), freeLoopbackPort())
        let client = "http://127.0.0.1:\(clientPort)"
        let peer = "http://127.0.0.1:\(peerPort)"
        let arguments = [
            "--name", "test", "--data-dir", directory.appendingPathComponent("data").path,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "test=\(peer)", "--max-request-bytes", "\(maxRequestBytes)",
        ]
        let server = try EtcdTestServer(directory: directory, endpoint: try EtcdEndpoint(parsing: client), arguments: arguments)
        do {
            try await server.waitUntilReady()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// Stops etcd by its pid, keeping its data, as if it crashed or was restarted.
    func halt() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    /// Starts etcd again on the same ports and data after ``halt()``.
    func restart() async throws {
        let log = directory.appendingPathComponent("etcd.log").path
        let marker = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").count
        process = try Self.launch(arguments, log: log)
        try await waitUntilReady(after: marker)
    }

    /// Waits for etcd's "ready to serve client requests" (connecting earlier only
    /// logs refused connections), then for a read to succeed.
    private func waitUntilReady(after logOffset: Int = 0) async throws {
        let log = directory.appendingPathComponent("etcd.log").path
        let deadline = ContinuousClock.now + .seconds(60)
        var configuration = EtcdStore.Configuration(endpoints: [endpoint])
        configuration.requestTimeout = .seconds(5)
        while ContinuousClock.now < deadline && process.isRunning {
            let output = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").dropFirst(logOffset)
            if output.contains("ready to serve client requests"), let store = try? await EtcdStore.connect(configuration) {
                await store.close()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw StoreError(.unavailable, "test etcd at \(endpoint) did not become ready:\n\(output.suffix(2000))")
    }

    /// Starts one once fewer than ``slots`` run; the caller gives the slot back
    /// after ``stop()`` (`slots.release()`).
    static func startInSlot() async throws -> EtcdTestServer {
        await slots.acquire()
        do {
            return try await start()
        } catch {
            await slots.release()
            throw error
        }
    }

    /// Stops etcd by its pid and removes its data.
    func stop() {
        halt()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A port on 127.0.0.1 nothing listens on right now.
    static func freeLoopbackPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw StoreError(.storage, "socket: errno \(errno)") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socket, address, length) == 0 && getsockname(socket, address, &length) == 0
            }
        }
        guard bound else { throw StoreError(.storage, "bind to 127.0.0.1:0: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A counting semaphore for tasks: waiting suspends, it never blocks a thread.
actor AsyncSemaphore {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) {
        available = count
    }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
