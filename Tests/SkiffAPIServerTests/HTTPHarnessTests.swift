import Foundation
import Glibc
import SkiffPKI
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import SkiffAPIServer

// Shared pieces for the HTTP transport tests: a closure handler, a curl runner that
// never blocks the cooperative pool, TLS material made by openssl, and small async
// signals. Everything talks to 127.0.0.1 only.

/// A handler made of a closure.
struct ClosureHandler: APIHandler {
    let body: @Sendable (APIRequest) async -> APIResponse

    init(_ body: @escaping @Sendable (APIRequest) async -> APIResponse) {
        self.body = body
    }

    func handle(_ request: APIRequest) async -> APIResponse {
        await body(request)
    }
}

/// Starts a server on an ephemeral loopback port, runs the body, stops the server.
func withServer<T>(
    tls: TLSSettings? = nil, configuration: APIHTTPServer.Configuration = .init(),
    _ handler: @escaping @Sendable (APIRequest) async -> APIResponse,
    _ body: (_ port: Int, _ server: APIHTTPServer) async throws -> T
) async throws -> T {
    let server = APIHTTPServer(handler: ClosureHandler(handler), configuration: configuration)
    let port = try await server.start(host: "127.0.0.1", port: 0, tls: tls)
    do {
        let result = try await body(port, server)
        await server.stop(gracePeriod: .seconds(2))
        return result
    } catch {
        await server.stop(gracePeriod: .seconds(2))
        throw error
    }
}

/// A count shared between tasks.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// Accumulates bytes from a pipe's readability handler.
final class ByteSink: Sendable {
    private let bytes = Mutex<[UInt8]>([])
    func append(_ data: Data) { bytes.withLock { $0.append(contentsOf: data) } }
    var value: [UInt8] { bytes.withLock { $0 } }
}

/// A running curl. Its stdout arrives on `output` as the pipe delivers it, so a
/// test can read a streamed response piece by piece. Unchecked: `Process` is not
/// `Sendable`, and only its thread-safe members are used after launch.
final class Curl: @unchecked Sendable {
    static let path = "/usr/bin/curl"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

    let output: AsyncStream<[UInt8]>
    private let process: Process
    private let errors = ByteSink()

    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = arguments
        // Pipes made close-on-exec, so that curls started concurrently by other tests
        // do not inherit each other's write ends and delay end of file.
        let (stdout, stdoutWriter) = try Self.pipe()
        let (stderr, stderrWriter) = try Self.pipe()
        process.standardOutput = stdoutWriter
        process.standardError = stderrWriter
        let (output, continuation) = AsyncStream<[UInt8]>.makeStream()
        self.output = output
        self.process = process
        try process.run()
        try stdoutWriter.close()
        try stderrWriter.close()
        // Blocking reads on threads of their own: Foundation's readability handlers
        // proved unreliable at reporting end of file, and the cooperative pool must
        // never block.
        Thread.detachNewThread {
            while true {
                let data = stdout.availableData
                if data.isEmpty { break }
                continuation.yield([UInt8](data))
            }
            continuation.finish()
        }
        let errors = self.errors
        Thread.detachNewThread {
            while true {
                let data = stderr.availableData
                if data.isEmpty { break }
                errors.append(data)
            }
        }
    }

    private static func pipe() throws -> (read: FileHandle, write: FileHandle) {
        var fds: [Int32] = [0, 0]
        guard Glibc.pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return (
            FileHandle(fileDescriptor: fds[0], closeOnDealloc: true),
            FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
        )
    }

    /// Waits for curl to exit (polling: waiting on the process would block a thread
    /// of the cooperative pool) and returns its exit status.
    func exitStatus() async -> Int32 {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// Kills curl the way a crashing client dies. SIGKILL because curl may inherit a
    /// signal mask that blocks SIGTERM from the thread that spawned it.
    func kill() {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
    }

    var standardError: String { String(decoding: errors.value, as: UTF8.self) }

    /// Runs curl to the end: exit status, everything it wrote, and its stderr.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: [UInt8], error: String) {
        let curl = try Curl(arguments)
        var output: [UInt8] = []
        for await chunk in curl.output { output += chunk }
        let status = await curl.exitStatus()
        return (status, output, curl.standardError)
    }

    /// Runs curl and splits `-D -` style output: response headers then body.
    static func request(_ arguments: [String]) async throws -> CurlResponse {
        let (status, output, error) = try await run(["-sS", "-D", "-"] + arguments)
        return CurlResponse(exitStatus: status, raw: output, error: error)
    }
}

/// A response as curl printed it with `-D -`.
struct CurlResponse {
    var exitStatus: Int32
    var raw: [UInt8]
    var error: String

    /// The last header block (after any `100 Continue`) and the body.
    private var split: (head: String, body: [UInt8]) {
        var start = 0
        var head = ""
        while let end = Self.find([13, 10, 13, 10], in: raw, from: start) {
            let block = String(decoding: raw[start..<end], as: UTF8.self)
            guard block.hasPrefix("HTTP/") else { break }
            head = block
            start = end + 4
            // Informational heads (100 Continue) precede the real one.
            let code = block.split(separator: " ").dropFirst().first ?? ""
            if !code.hasPrefix("1") { break }
        }
        return (head, Array(raw[start...]))
    }

    var statusCode: Int? {
        split.head.split(separator: "\r\n").first?.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }

    var httpVersion: String? {
        split.head.split(separator: " ").first.map(String.init)
    }

    func header(_ name: String) -> String? {
        for line in split.head.split(separator: "\r\n").dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    var body: [UInt8] { split.body }
    var text: String { String(decoding: body, as: UTF8.self) }

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = from
        while index + needle.count <= haystack.count {
            if Array(haystack[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}

/// A one-shot signal a test can await with a deadline, so a broken server fails the
/// test instead of hanging it.
final class Signal: Sendable {
    private struct State {
        var fired = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    func fire() {
        let waiters = state.withLock { state in
            state.fired = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    var fired: Bool { state.withLock { $0.fired } }

    /// Waits for the signal; false if it did not come within the time.
    func wait(upTo limit: Duration = .seconds(20)) async -> Bool {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let now = self.state.withLock { state -> Bool in
                        if state.fired { return true }
                        state.waiters[id] = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            if !first {
                // Release our own waiter so the group can end; the signal stays unfired.
                let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.resume()
            }
            group.cancelAll()
            return first || fired
        }
    }
}

/// Certificates for TLS tests, issued by SkiffPKI into a temporary directory (curl
/// reads files): the cluster's server and client CAs, a serving certificate for
/// 127.0.0.1, a client certificate for alice in groups dev and ops, and one from
/// another cluster's client CA, which this server must not trust.
final class TLSFixture: Sendable {
    let pki: ClusterPKI
    let directory: String

    init(pki: ClusterPKI, directory: String) {
        self.pki = pki
        self.directory = directory
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
    /// What curl trusts the server with.
    var caCertificate: String { ClusterPKI.path(in: directory, ClusterPKI.FileName.serverCA) }
    var clientCertificate: String { "\(directory)/alice.crt" }
    var clientKey: String { "\(directory)/alice.key" }
    var strangerCertificate: String { "\(directory)/stranger.crt" }
    var strangerKey: String { "\(directory)/stranger.key" }

    var settings: TLSSettings {
        TLSSettings(
            certificateChainPEM: Array(pki.servingCertificateChainPEM.utf8),
            privateKeyPEM: Array(pki.servingPrivateKeyPEM.utf8), clientCAPEM: Array(pki.clientCAPEM.utf8))
    }

    static func make() throws -> TLSFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "skiff-http-tls-\(UUID().uuidString)").path
        let pki = try ClusterPKI.loadOrCreate(
            directory: directory, serverNames: ["localhost"], serverAddresses: ["127.0.0.1"])
        let other = try ClusterPKI.loadOrCreate(
            directory: directory + "/other", serverNames: ["localhost"], serverAddresses: ["127.0.0.1"])
        try write(pki.issueClientCertificate(commonName: "alice", organizations: ["dev", "ops"]), "alice", in: directory)
        try write(other.issueClientCertificate(commonName: "mallory", organizations: ["dev"]), "stranger", in: directory)
        return TLSFixture(pki: pki, directory: directory)
    }

    private static func write(_ key: CertifiedKey, _ name: String, in directory: String) throws {
        try key.certificatePEM.write(toFile: "\(directory)/\(name).crt", atomically: true, encoding: .utf8)
        try key.privateKeyPEM.write(toFile: "\(directory)/\(name).key", atomically: true, encoding: .utf8)
    }
}

/// A bare TCP connection to the server, for what curl cannot do: speak WebSocket
/// frames, or connect and then not read.
struct RawConnection {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var buffered: [UInt8] = []

    static func with<T: Sendable>(port: Int, _ body: (inout RawConnection) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    func send(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Exactly `count` bytes, or nil if the server closed first.
    mutating func read(_ count: Int) async throws -> [UInt8]? {
        while buffered.count < count {
            guard var chunk = try await inbound.next() else { return nil }
            buffered += chunk.readBytes(length: chunk.readableBytes) ?? []
        }
        defer { buffered.removeFirst(count) }
        return Array(buffered.prefix(count))
    }

    /// Bytes up to and including `marker`, or nil if the server closed first.
    mutating func read(through marker: [UInt8]) async throws -> [UInt8]? {
        while true {
            if let end = CurlResponse.find(marker, in: buffered, from: 0) {
                return try await read(end + marker.count)
            }
            guard var chunk = try await inbound.next() else { return nil }
            buffered += chunk.readBytes(length: chunk.readableBytes) ?? []
        }
    }

    /// One HTTP/1.1 response with a `Content-Length`: its head and body.
    mutating func readResponse() async throws -> (head: String, body: [UInt8])? {
        guard let headBytes = try await read(through: [13, 10, 13, 10]) else { return nil }
        let head = String(decoding: headBytes, as: UTF8.self)
        let length = head.split(separator: "\r\n").compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        guard let body = try await read(length) else { return nil }
        return (head, body)
    }

    /// True when the server has closed the connection (after whatever was buffered).
    mutating func isClosedByServer() async throws -> Bool {
        guard buffered.isEmpty else { return false }
        return try await inbound.next() == nil
    }
}
