import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SkiffAPIServer
@testable import SkiffKubelet
@testable import SkiffRuntime
import Synchronization
import Testing

// What the kubelet server tests share: a directory the test fills, a kubelet
// server on loopback, and a small HTTP and WebSocket client over a bare socket
// (only 127.0.0.1 is ever dialled).

/// A directory of pods the test sets.
final class StaticDirectory: KubeletContainerDirectory {
    private let entries = Mutex<[KubeletPodEntry]>([])

    init(_ pods: [KubeletPodEntry] = []) {
        entries.withLock { $0 = pods }
    }

    func set(_ pods: [KubeletPodEntry]) {
        entries.withLock { $0 = pods }
    }

    func pods() async -> [KubeletPodEntry] {
        entries.withLock { $0 }
    }
}

/// A kubelet server over plain HTTP on 127.0.0.1 for the body's duration.
func withKubelet<T>(
    _ directory: any KubeletContainerDirectory, runtime: ContainerRuntime, tls: TLSSettings? = nil,
    _ body: (_ port: Int) async throws -> T
) async throws -> T {
    let server = KubeletServer(directory: directory, runtime: runtime, tls: tls)
    let port = try await server.start(host: "127.0.0.1", port: 0)
    do {
        let result = try await body(port)
        await server.stop(gracePeriod: .seconds(2))
        return result
    } catch {
        await server.stop(gracePeriod: .seconds(2))
        throw error
    }
}

enum LoopbackError: Error, CustomStringConvertible {
    case system(String)
    case protocolViolation(String)

    var description: String {
        switch self {
        case .system(let text), .protocolViolation(let text): text
        }
    }
}

/// A blocking TCP connection to 127.0.0.1, driven from a queue of its own so the
/// tests' awaits never block Swift's threads. Reads give up after 60 s, so a
/// server that never answers fails the test instead of hanging it.
final class LoopbackConnection: @unchecked Sendable {
    private let fd: Int32
    private let queue = DispatchQueue(label: "skiff.kubelet.tests.connection")
    // Touched only on `queue`.
    private var buffered: [UInt8] = []

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit { Glibc.close(fd) }

    static func open(port: Int) async throws -> LoopbackConnection {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError.system("socket: \(errno)") }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw LoopbackError.system("connect to 127.0.0.1:\(port): \(errno)")
        }
        return LoopbackConnection(fd: fd)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await onQueue { () throws(LoopbackError) in
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw .system("send: \(errno)") }
                offset += n
            }
        }
    }

    /// Exactly `count` bytes; nil when the server closed first.
    func read(_ count: Int) async throws -> [UInt8]? {
        try await onQueue { () throws(LoopbackError) in try self.fill { $0.count >= count ? count : nil } }
    }

    /// Bytes through the first `marker`; nil when the server closed first.
    func read(through marker: [UInt8]) async throws -> [UInt8]? {
        try await onQueue { () throws(LoopbackError) in
            try self.fill { buffered in Self.find(marker, in: buffered).map { $0 + marker.count } }
        }
    }

    /// Everything until the server closes.
    func readToEnd() async throws -> [UInt8] {
        try await onQueue { () throws(LoopbackError) in
            while try self.receiveMore() {}
            defer { self.buffered = [] }
            return self.buffered
        }
    }

    func shutdownWriting() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Receives until `complete` names how many buffered bytes make the answer.
    private func fill(_ complete: ([UInt8]) -> Int?) throws(LoopbackError) -> [UInt8]? {
        while true {
            if let count = complete(buffered) {
                defer { buffered.removeFirst(count) }
                return Array(buffered.prefix(count))
            }
            guard try receiveMore() else { return nil }
        }
    }

    private func receiveMore() throws(LoopbackError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        let n = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 {
            if errno == EINTR { return true }
            throw .system(errno == EAGAIN ? "timed out waiting for the server" : "recv: \(errno)")
        }
        buffered += chunk[0..<n]
        return n > 0
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws(LoopbackError) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do throws(LoopbackError) { continuation.resume(returning: try work()) } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    static func find(_ marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        return (0...(bytes.count - marker.count)).first { bytes[$0..<($0 + marker.count)].elementsEqual(marker) }
    }
}

/// One HTTP/1.1 response, its body de-chunked.
struct TestHTTPResponse {
    var status: Int
    var head: String
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        for line in head.split(separator: "\r\n").dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}

enum TestHTTP {
    /// A GET read to the end of its response (the connection closes after it).
    static func get(port: Int, _ target: String, headers: [(String, String)] = []) async throws -> TestHTTPResponse {
        let connection = try await LoopbackConnection.open(port: port)
        var request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        try await connection.send(Array((request + "\r\n").utf8))
        guard let headBytes = try await connection.read(through: Array("\r\n\r\n".utf8)) else {
            throw LoopbackError.protocolViolation("no response head")
        }
        let head = String(decoding: headBytes, as: UTF8.self)
        let statusLine = head.split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw LoopbackError.protocolViolation("bad status line in \(head)")
        }
        var response = TestHTTPResponse(status: status, head: head, body: try await connection.readToEnd())
        if response.header("transfer-encoding")?.lowercased() == "chunked" {
            response.body = try dechunk(response.body)
        }
        return response
    }

    static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var body: [UInt8] = []
        var rest = bytes[...]
        while let lineEnd = LoopbackConnection.find([13, 10], in: Array(rest)) {
            let sizeText = String(decoding: rest.prefix(lineEnd), as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText, radix: 16) else { throw LoopbackError.protocolViolation("bad chunk size") }
            rest = rest.dropFirst(lineEnd + 2)
            if size == 0 { return body }
            body += rest.prefix(size)
            rest = rest.dropFirst(size + 2)
        }
        return body
    }
}

/// A WebSocket client: masked frames out, unmasked frames in.
struct TestWebSocket {
    struct Frame: Equatable {
        var opcode: UInt8
        var payload: [UInt8]
    }

    let connection: LoopbackConnection
    /// The server's answer to the upgrade, lowercased.
    let head: String

    var subprotocol: String? {
        head.split(separator: "\r\n").first { $0.hasPrefix("sec-websocket-protocol:") }
            .map { $0.dropFirst("sec-websocket-protocol:".count).trimmingCharacters(in: .whitespaces) }
    }

    /// Sends the upgrade; throws when the answer is not 101 (with the answer in the error).
    static func open(port: Int, _ target: String, protocols: [String]) async throws -> TestWebSocket {
        let connection = try await LoopbackConnection.open(port: port)
        var request =
            "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        if !protocols.isEmpty { request += "Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))\r\n" }
        try await connection.send(Array((request + "\r\n").utf8))
        guard let headBytes = try await connection.read(through: Array("\r\n\r\n".utf8)) else {
            throw LoopbackError.protocolViolation("no answer to the upgrade")
        }
        let head = String(decoding: headBytes, as: UTF8.self)
        guard head.hasPrefix("HTTP/1.1 101") else {
            let rest = (try? await connection.readToEnd()) ?? []
            throw LoopbackError.protocolViolation(head + String(decoding: rest, as: UTF8.self))
        }
        return TestWebSocket(connection: connection, head: head.lowercased())
    }

    func send(opcode: UInt8 = 0x2, _ payload: [UInt8]) async throws {
        var frame: [UInt8] = [0x80 | opcode]
        switch payload.count {
        case 0..<126: frame.append(0x80 | UInt8(payload.count))
        case 126..<65536: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: frame += [0x80 | 127] + (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try await connection.send(frame)
    }

    /// A channel message: the channel byte, then the payload.
    func send(channel: UInt8, _ payload: [UInt8]) async throws {
        try await send([channel] + payload)
    }

    func sendClose(code: UInt16 = 1000) async throws {
        try await send(opcode: 0x8, [UInt8(code >> 8), UInt8(code & 0xFF)])
    }

    /// The next frame; nil when the connection closed.
    func receive() async throws -> Frame? {
        guard let header = try await connection.read(2) else { return nil }
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            guard let extended = try await connection.read(2) else { return nil }
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            guard let extended = try await connection.read(8) else { return nil }
            length = extended.reduce(0) { $0 << 8 | Int($1) }
        }
        guard let payload = try await connection.read(length) else { return nil }
        return Frame(opcode: header[0] & 0x0F, payload: payload)
    }
}

/// What a channel.k8s.io session sent, by channel, until the server closed it.
struct ChannelTranscript {
    var channels: [UInt8: [UInt8]] = [:]
    /// The channels in the order messages arrived (one entry per message).
    var order: [UInt8] = []
    var closeCode: UInt16?

    func text(_ channel: UInt8) -> String { String(decoding: channels[channel] ?? [], as: UTF8.self) }

    /// Reads messages until the server's close, answering it.
    static func read(_ socket: TestWebSocket) async throws -> ChannelTranscript {
        var transcript = ChannelTranscript()
        while let frame = try await socket.receive() {
            switch frame.opcode {
            case 0x2:
                guard let channel = frame.payload.first else { continue }
                transcript.channels[channel, default: []] += frame.payload.dropFirst()
                transcript.order.append(channel)
            case 0x8:
                if frame.payload.count >= 2 { transcript.closeCode = UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) }
                try? await socket.sendClose(code: transcript.closeCode ?? 1000)
                return transcript
            default:
                continue
            }
        }
        return transcript
    }
}

/// CRI log files and a runtime that knows one stand-in container, for log tests
/// without root: the container "runs" as this test process until `end()` writes
/// the exit file the shim would write.
final class LogFixture: @unchecked Sendable {
    let directory: String
    let runtime: ContainerRuntime
    let containerID = "web-app-1"
    let logPath: String
    let previousLogPath: String
    private let exitFile: String

    init() throws {
        directory = NSTemporaryDirectory() + "skiff-kubelet-logs-\(UUID().uuidString.prefix(8))"
        logPath = directory + "/pods/default_web/app/1.log"
        previousLogPath = directory + "/pods/default_web/app/0.log"
        try FileManager.default.createDirectory(
            atPath: directory + "/pods/default_web/app", withIntermediateDirectories: true)
        let root = directory + "/runtime"
        let paths = ContainerPaths(root: root, id: containerID)
        try FileManager.default.createDirectory(atPath: paths.directory, withIntermediateDirectories: true)
        let config = ContainerConfig(command: ["app"], rootfs: .directory("/"), logPath: logPath)
        let record = ContainerRecord(
            id: containerID, config: config, createdAt: Date(), state: .running, pid: getpid(), startedAt: Date(),
            paths: paths)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(record).write(to: URL(fileURLWithPath: paths.record))
        exitFile = paths.exitFile
        runtime = try ContainerRuntime(root: root, cgroups: nil)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The container exits, as far as the runtime can tell.
    func end() throws {
        let exit = #"{"exitCode":0,"signal":0,"oomKilled":false,"startedAt":"2026-12-01T10:00:00Z","finishedAt":"2026-12-01T10:01:00Z"}"#
        try exit.write(toFile: exitFile, atomically: true, encoding: .utf8)
    }

    func write(_ lines: [String], to path: String? = nil) throws {
        let path = path ?? logPath
        let text = lines.map { $0 + "\n" }.joined()
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try handle.close()
        } else {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
        }
    }

    /// A pod `web` whose container `app` runs this fixture's container, after a previous instance.
    var pod: KubeletPodEntry {
        KubeletPodEntry(
            namespace: "default", name: "web", uid: "uid-web", containerNames: ["app", "sidecar", "late"],
            statuses: [
                "app": KubeletContainerStatus(
                    state: .running(KubeletContainerRef(id: containerID, logPath: logPath)),
                    lastTerminated: KubeletContainerRef(id: "web-app-0", logPath: previousLogPath)),
                "late": KubeletContainerStatus(state: .waiting(reason: "ContainerCreating")),
            ])
    }
}
