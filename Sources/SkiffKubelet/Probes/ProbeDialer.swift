import Foundation
import NIOCore
import NIOPosix

/// TCP connections from the kubelet to pods, made as upstream's probe dialer makes
/// them, and its errors worded as Go words them ("dial tcp 10.42.0.7:8080: connect:
/// connection refused"), since they end up in events users search for.
enum ProbeDialer {
    /// A bootstrap whose connections close with a reset (SO_LINGER 0), so that probing
    /// every few seconds leaves no sockets in TIME_WAIT on the node.
    static func bootstrap(connectTimeout: Duration?) -> ClientBootstrap {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
        if let connectTimeout {
            bootstrap = bootstrap.connectTimeout(.nanoseconds(max(1, Int64(connectTimeout.nanoseconds))))
        }
        return bootstrap
    }

    /// Sets SO_LINGER 0 on a channel that is about to connect.
    static func lingerNot(_ channel: any Channel) -> EventLoopFuture<Void> {
        guard let options = channel as? any SocketOptionProvider else { return channel.eventLoop.makeSucceededVoidFuture() }
        return options.setSoLinger(linger(l_onoff: 1, l_linger: 0))
    }

    /// "dial tcp <authority>: <what went wrong>".
    static func describe(_ error: any Error, authority: String) -> String {
        "dial tcp \(authority): \(reason(error))"
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case ChannelError.connectTimeout:
            return "i/o timeout"
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return "lookup \(error.host): no such host"
            }
            return error.connectionErrors.first.map { reason($0.error) } ?? "connect: no address to connect to"
        case let error as IOError:
            return "connect: " + String(cString: strerror(error.errnoCode)).lowercased()
        default:
            return "\(error)"
        }
    }
}

extension Duration {
    var nanoseconds: Double {
        Double(components.seconds) * 1e9 + Double(components.attoseconds) / 1e9
    }
}
