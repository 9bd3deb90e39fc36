import SkiffProcess
#if canImport(Glibc)
import Glibc
#endif

/// Opens TCP connections to 127.0.0.1:PORT inside a pod's network namespace, as
/// containerd's port-forward does. The socket is made on a thread started for it
/// that enters the namespace and then ends, so none of Swift's shared threads ever
/// changes namespace; a socket stays in the namespace it was made in.
enum PodNetworkDialer {
    static func connect(_ network: KubeletPodNetwork, port: UInt16) async -> Result<Int32, PodDialError> {
        await withCheckedContinuation { continuation in
            let started = OwnThread.detach { continuation.resume(returning: dial(network, port: port)) }
            if !started {
                continuation.resume(returning: .failure(PodDialError(network: network, port: port, step: "start a thread", errno: EAGAIN)))
            }
        }
    }

    private static func dial(_ network: KubeletPodNetwork, port: UInt16) -> Result<Int32, PodDialError> {
        if case .namespace(let path) = network {
            let namespace = open(path, O_RDONLY | O_CLOEXEC)
            guard namespace >= 0 else { return .failure(PodDialError(network: network, port: port, step: "open \(path)", errno: errno)) }
            defer { close(namespace) }
            guard ServerSystemCalls.setns(namespace, ServerSystemCalls.newNetworkNamespace) == 0 else {
                return .failure(PodDialError(network: network, port: port, step: "enter \(path)", errno: errno))
            }
        }
        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(AF_INET, socketType, 0)
        guard fd >= 0 else { return .failure(PodDialError(network: network, port: port, step: "socket", errno: errno)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let failure = errno
            close(fd)
            return .failure(PodDialError(network: network, port: port, step: "connect", errno: failure))
        }
        return .success(fd)
    }
}

/// A connection to a pod's port that could not be made, worded as containerd's
/// (`failed to connect to localhost:80 inside namespace "…", IPv4: dial tcp4 …`).
struct PodDialError: Error, CustomStringConvertible {
    var network: KubeletPodNetwork
    var port: UInt16
    var step: String
    var errno: Int32

    var description: String {
        let dial = "dial tcp4 127.0.0.1:\(port): \(step): \(ServerSystemCalls.errorText(errno).lowercased())"
        switch network {
        case .host: return dial
        case .namespace(let path): return "failed to connect to localhost:\(port) inside namespace \"\(path)\", IPv4: \(dial)"
        }
    }
}

