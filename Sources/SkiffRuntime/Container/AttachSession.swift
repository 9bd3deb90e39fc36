import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A connection to a running container's monitor (`kubectl attach`): its output as it
/// is written, and — when the container was created with `stdin` — its input and
/// terminal size. Frames are the shim's (CSupport/skiff-shim/attach.h).
public final class AttachSession: @unchecked Sendable {
    public enum Output: Sendable, Equatable {
        case stdout([UInt8]), stderr([UInt8])
    }

    private let fd: Int32
    private let lock = NSLock()
    private var closed = false
    /// Output until the container ends or the session is closed.
    public let output: AsyncStream<Output>

    init(socket path: String) throws(RuntimeError) {
        // The socket may sit deeper than sun_path's 108 bytes: reach it through a
        // descriptor of its directory.
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw .io("open the attach directory of \(path): \(String(cString: strerror(errno)))") }
        defer { Glibc.close(directory) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let shortPath = "/proc/self/fd/\(directory)/\((path as NSString).lastPathComponent)"
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: Array(shortPath.utf8.prefix(buffer.count - 1)) + [0])
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw .invalidState(container: path, reason: "cannot be attached: \(reason)")
        }
        self.fd = fd
        let (stream, continuation) = AsyncStream<Output>.makeStream()
        output = stream
        let thread = Thread { Self.readFrames(fd: fd, into: continuation) }
        thread.start()
    }

    deinit { close() }

    public func send(stdin bytes: [UInt8]) throws(RuntimeError) {
        try sendFrame(type: 0, bytes)
    }

    public func resize(rows: UInt16, columns: UInt16) throws(RuntimeError) {
        try sendFrame(type: 3, [UInt8(rows >> 8), UInt8(rows & 0xff), UInt8(columns >> 8), UInt8(columns & 0xff)])
    }

    /// The container reads end of file on its stdin.
    public func closeStdin() throws(RuntimeError) {
        try sendFrame(type: 4, [])
    }

    /// Detaches; the container runs on (unless it was created with `stdinOnce`).
    public func close() {
        lock.withLock {
            guard !closed else { return }
            closed = true
            shutdown(fd, Int32(SHUT_RDWR))
            Glibc.close(fd)
        }
    }

    private func sendFrame(type: UInt8, _ payload: [UInt8]) throws(RuntimeError) {
        let length = UInt32(payload.count)
        let frame = [type, UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)] + payload
        let failed: Bool = lock.withLock {
            guard !closed else { return true }
            var offset = 0
            while offset < frame.count {
                let n = frame[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return true }
                offset += n
            }
            return false
        }
        if failed { throw .io("the attach connection is closed") }
    }

    private static func readFrames(fd: Int32, into continuation: AsyncStream<Output>.Continuation) {
        func readExactly(_ count: Int) -> [UInt8]? {
            var bytes = [UInt8](repeating: 0, count: count)
            var offset = 0
            while offset < count {
                let n = bytes[offset...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return nil }
                offset += n
            }
            return bytes
        }
        while let header = readExactly(5) {
            let length = Int(header[1]) << 24 | Int(header[2]) << 16 | Int(header[3]) << 8 | Int(header[4])
            guard let payload = readExactly(length) else { break }
            continuation.yield(header[0] == 2 ? .stderr(payload) : .stdout(payload))
        }
        continuation.finish()
    }
}
