import CNftnl
import Glibc
import Synchronization

/// A failure of the proxy's backend: what it was doing, the kernel's errno if any.
public struct ProxyError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var errno: Int32?

    public init(_ message: String, errno: Int32? = nil) {
        self.message = message
        self.errno = errno
    }

    public var description: String {
        guard let errno else { return message }
        return "\(message): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// Where nfnetlink batches go: the kernel (``NetfilterSocket``) or, in unit
/// tests, a recorder. The seam the backend's messages are checked through.
public protocol NetfilterTransport: Sendable {
    func send(_ batch: NetlinkBatch) throws(ProxyError)
}

/// A NETLINK_NETFILTER socket, optionally in another network namespace.
///
/// The kernel handles a batch inside `sendto`, so when it returns every error the
/// batch caused is already queued on the socket: messages ask for no ACK (10,000
/// acks would overflow the receive buffer) and errors are drained without waiting.
public final class NetfilterSocket: NetfilterTransport, @unchecked Sendable {
    private let socket: OpaquePointer
    private let lock = Mutex(())

    /// Opens the socket in the network namespace at `namespacePath` (e.g.
    /// /run/netns/NAME), or in this thread's namespace when nil.
    public init(namespacePath: String? = nil) throws(ProxyError) {
        var opened: OpaquePointer?
        if let namespacePath {
            opened = try Self.inNamespace(namespacePath) { mnl_socket_open(NETLINK_NETFILTER) }
        } else {
            opened = mnl_socket_open(NETLINK_NETFILTER)
        }
        guard let opened else { throw ProxyError("cannot open a netfilter netlink socket", errno: Glibc.errno) }
        guard mnl_socket_bind(opened, 0, pid_t(MNL_SOCKET_AUTOPID)) == 0 else {
            let code = Glibc.errno
            mnl_socket_close(opened)
            throw ProxyError("cannot bind the netfilter netlink socket", errno: code)
        }
        let fd = mnl_socket_get_fd(opened)
        var one: Int32 = 1
        // Errors without a copy of the failed message: the receive buffer holds more of them.
        _ = setsockopt(fd, Int32(SOL_NETLINK), Int32(NETLINK_CAP_ACK), &one, socklen_t(MemoryLayout<Int32>.size))
        var receive: Int32 = 4 << 20
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receive, socklen_t(MemoryLayout<Int32>.size))
        socket = opened
    }

    deinit { mnl_socket_close(socket) }

    /// Runs `body` with this thread in another network namespace, then moves back.
    /// Nothing in between may suspend, so the thread cannot change under it.
    static func inNamespace<T>(_ path: String, _ body: () -> T) throws(ProxyError) -> T {
        let original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard original >= 0 else { throw ProxyError("cannot open this thread's network namespace", errno: Glibc.errno) }
        defer { close(original) }
        let target = open(path, O_RDONLY | O_CLOEXEC)
        guard target >= 0 else { throw ProxyError("cannot open network namespace \(path)", errno: Glibc.errno) }
        defer { close(target) }
        guard setns(target, Int32(SKIFF_CLONE_NEWNET)) == 0 else { throw ProxyError("cannot enter \(path)", errno: Glibc.errno) }
        let result = body()
        guard setns(original, Int32(SKIFF_CLONE_NEWNET)) == 0 else {
            // A thread left in the wrong namespace would open later sockets there.
            fatalError("cannot return from network namespace \(path): errno \(Glibc.errno)")
        }
        return result
    }

    public func send(_ batch: NetlinkBatch) throws(ProxyError) {
        let result: Result<Void, ProxyError> = lock.withLock { _ in
            let fd = mnl_socket_get_fd(socket)
            var size = Int32(clamping: batch.bytes.count + 4096)
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size))
            let sent = batch.bytes.withUnsafeBytes { mnl_socket_sendto(socket, $0.baseAddress, $0.count) }
            if sent < 0 { return .failure(ProxyError("sending the nftables batch failed", errno: Glibc.errno)) }
            return drainErrors(fd: fd, batch: batch)
        }
        try result.get()
    }

    /// Reads what the kernel queued for the batch; the first error fails the send.
    private func drainErrors(fd: Int32, batch: NetlinkBatch) -> Result<Void, ProxyError> {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var first: ProxyError?
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count <= 0 { break }
            var offset = 0
            while offset + MemoryLayout<nlmsghdr>.size <= count {
                let (header, code) = buffer.withUnsafeBytes { raw -> (nlmsghdr, Int32) in
                    let header = raw.loadUnaligned(fromByteOffset: offset, as: nlmsghdr.self)
                    let code = raw.loadUnaligned(fromByteOffset: offset + MemoryLayout<nlmsghdr>.size, as: Int32.self)
                    return (header, code)
                }
                if header.nlmsg_type == UInt16(NLMSG_ERROR), code != 0, first == nil {
                    // The error carries the failed message's header: its sequence number says which.
                    let failed = buffer.withUnsafeBytes {
                        $0.loadUnaligned(fromByteOffset: offset + MemoryLayout<nlmsghdr>.size + 4, as: nlmsghdr.self)
                    }
                    let what = batch.descriptions[failed.nlmsg_seq] ?? "message \(failed.nlmsg_seq)"
                    first = ProxyError("nftables refused \(what)", errno: -code)
                }
                guard header.nlmsg_len >= UInt32(MemoryLayout<nlmsghdr>.size) else { break }
                offset += (Int(header.nlmsg_len) + 3) & ~3
            }
        }
        return first.map { .failure($0) } ?? .success(())
    }
}

/// Keeps every batch instead of sending it: the unit tests' side of the seam.
public final class RecordingTransport: NetfilterTransport, Sendable {
    private let batches = Mutex<[NetlinkBatch]>([])
    private let failure = Mutex<ProxyError?>(nil)

    public init() {}

    public var recorded: [NetlinkBatch] { batches.withLock { $0 } }

    /// Makes the next send fail with `error` (once).
    public func failNext(_ error: ProxyError) { failure.withLock { $0 = error } }

    public func send(_ batch: NetlinkBatch) throws(ProxyError) {
        if let error = failure.withLock({ state in defer { state = nil }; return state }) { throw error }
        batches.withLock { $0.append(batch) }
    }
}
