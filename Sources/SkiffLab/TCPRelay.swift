import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SkiffRuntime

/// Makes the lab's API server reachable from the host without giving the lab a
/// route to it: listens on the host's loopback and, for every connection, opens
/// one to the server from inside the server node's network namespace (a socket
/// stays in the namespace it was made in) and copies bytes both ways.
public struct TCPRelay: Sendable {
    public let targetNamespace: String
    public let targetAddress: String
    public let targetPort: UInt16

    public init(targetNamespace: String, targetAddress: String, targetPort: UInt16) {
        self.targetNamespace = targetNamespace
        self.targetAddress = targetAddress
        self.targetPort = targetPort
    }

    /// Binds 127.0.0.1:`port` (0: any free one) and returns the listening socket and its port.
    public static func listen(port: UInt16) throws -> (socket: Int32, port: UInt16) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw LabError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.address("127.0.0.1", port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(listener, 64) == 0 else {
            close(listener)
            throw LabError("cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        return (listener, UInt16(bigEndian: actual.sin_port))
    }

    /// Accepts connections forever, each relayed on a thread of its own.
    public func serve(listener: Int32) -> Never {
        signal(SIGPIPE, SIG_IGN)
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            Thread.detachNewThread {
                guard let upstream = try? self.connectUpstream() else {
                    close(client)
                    return
                }
                Self.pump(client, upstream)
            }
        }
    }

    private func connectUpstream() throws -> Int32 {
        let upstream = try NamespacedSocket.open(
            domain: AF_INET, type: Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), protocol: 0,
            networkNamespace: targetNamespace)
        var address = Self.address(targetAddress, targetPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(upstream)
            throw LabError("connect \(targetAddress):\(targetPort): \(String(cString: strerror(errno)))")
        }
        return upstream
    }

    /// Copies both ways until both directions have ended; a half-close is passed on.
    static func pump(_ first: Int32, _ second: Int32) {
        var open: [(from: Int32, to: Int32)] = [(first, second), (second, first)]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !open.isEmpty {
            var descriptors = open.map { pollfd(fd: $0.from, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), -1) > 0 else { if errno == EINTR { continue } else { break } }
            var ended: [Int] = []
            for (index, descriptor) in descriptors.enumerated() where descriptor.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(open[index].from, $0.baseAddress, $0.count) }
                if count <= 0 || !writeAll(open[index].to, buffer[0..<count]) {
                    shutdown(open[index].to, Int32(SHUT_WR))
                    ended.append(index)
                }
            }
            for index in ended.reversed() { open.remove(at: index) }
        }
        close(first)
        close(second)
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    private static func address(_ text: String, _ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, text, &address.sin_addr)
        return address
    }
}
