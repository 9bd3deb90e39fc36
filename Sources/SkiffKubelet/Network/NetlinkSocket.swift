#if canImport(Glibc)
import Glibc
#endif
import SkiffRuntime

/// A NETLINK_ROUTE socket to the kernel, for one request and its answers.
struct NetlinkSocket {
    private static let netlinkRoute: Int32 = 0

    let descriptor: Int32

    /// A socket in this process's network namespace, or in the one at `networkNamespace`.
    static func open(networkNamespace: String?) throws(RouteError) -> NetlinkSocket {
        let type = Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard let path = networkNamespace else {
            let descriptor = socket(AF_NETLINK, type, netlinkRoute)
            guard descriptor >= 0 else {
                throw RouteError(operation: "netlink socket", errno: errno, description: failure("netlink socket"))
            }
            return NetlinkSocket(descriptor: descriptor)
        }
        do {
            return NetlinkSocket(descriptor: try NamespacedSocket.open(
                domain: AF_NETLINK, type: type, protocol: netlinkRoute, networkNamespace: path))
        } catch {
            throw RouteError(operation: "netlink socket", errno: EINVAL, description: "netlink socket: \(error)")
        }
    }

    func close() { _ = Glibc.close(descriptor) }

    /// Sends a request with NLM_F_ACK and waits for its acknowledgement.
    func call(_ message: NetlinkMessage, operation: String) throws(RouteError) {
        try send(message, operation: operation)
        while true {
            for reply in try receive(operation: operation) {
                guard let code = reply.errorNumber else { continue }
                if code == 0 { return }
                throw RouteError(operation: operation, errno: code, description: "\(operation): \(String(cString: strerror(code)))")
            }
        }
    }

    /// Sends a dump request and collects every reply up to NLMSG_DONE.
    func dump(_ message: NetlinkMessage) throws(RouteError) -> [NetlinkMessage] {
        try send(message, operation: "route dump")
        var collected: [NetlinkMessage] = []
        while true {
            for reply in try receive(operation: "route dump") {
                if reply.type == Netlink.done { return collected }
                if let code = reply.errorNumber, code != 0 {
                    throw RouteError(operation: "route dump", errno: code, description: "route dump: \(String(cString: strerror(code)))")
                }
                collected.append(reply)
            }
        }
    }

    private func send(_ message: NetlinkMessage, operation: String) throws(RouteError) {
        let bytes = message.bytes
        // No address: an unconnected netlink socket sends to the kernel (port 0).
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
        guard sent == bytes.count else { throw RouteError(operation: operation, errno: errno, description: failure(operation)) }
    }

    private func receive(operation: String) throws(RouteError) -> [NetlinkMessage] {
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while true {
            let received = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if received < 0 && errno == EINTR { continue }
            guard received > 0 else { throw RouteError(operation: operation, errno: errno, description: failure(operation)) }
            return NetlinkMessage.parse(buffer[0..<received])
        }
    }
}

private func failure(_ operation: String) -> String {
    "\(operation): \(String(cString: strerror(errno)))"
}
