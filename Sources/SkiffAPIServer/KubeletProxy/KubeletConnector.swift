#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import NIOSSL

/// Opens connections to kubelets: HTTPS verified against the kubelet CA and
/// presenting the API server's client certificate, or plain HTTP when the server
/// runs without kubelet client settings (tests, plain-HTTP mode).
struct KubeletConnector: Sendable {
    private enum Security: Sendable {
        case plain
        case tls(verified: NIOSSLContext, unverified: NIOSSLContext)
        /// Settings that do not parse: every request reports why.
        case broken(String)
    }

    private let security: Security
    private let group: any EventLoopGroup

    init(settings: KubeletClientSettings?, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.group = group
        guard let settings else {
            security = .plain
            return
        }
        do {
            security = .tls(
                verified: try settings.makeContext(verifyingKubelet: true),
                unverified: try settings.makeContext(verifyingKubelet: false))
        } catch {
            security = .broken("\(error)")
        }
    }

    var usesTLS: Bool {
        if case .plain = security { return false }
        return true
    }

    /// Connects and lets `configure` finish the pipeline (on the channel's event
    /// loop) behind TLS when TLS is used. Throws ``KubeletDialError`` when the
    /// kubelet cannot be reached; TLS failures surface on the first read.
    func connect<Output: Sendable>(
        to location: KubeletLocation, verifyingKubelet: Bool = true,
        configure: @escaping @Sendable (any Channel) throws -> Output
    ) async throws -> Output {
        var context: NIOSSLContext?
        switch security {
        case .plain: context = nil
        case .tls(let verified, let unverified): context = verifyingKubelet ? verified : unverified
        case .broken(let reason): throw InvalidKubeletClientSettings(reason: reason)
        }
        let host = location.host
        // SNI and name checks take host names; an IP address is checked against the certificate's IP SANs.
        let serverHostname = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
        do {
            return try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                // Exec keystrokes and log lines are small writes that must go out at once.
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: location.port) { [context] channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let context {
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(context: context, serverHostname: serverHostname))
                        }
                        return try configure(channel)
                    }
                }
        } catch {
            throw KubeletDialError(location: location, reason: KubeletDialError.describe(error))
        }
    }
}

/// The server's kubelet client settings did not parse; ``KubeletClientSettings/validate()`` says so at start.
struct InvalidKubeletClientSettings: Error, CustomStringConvertible {
    var reason: String
    var description: String { "invalid kubelet client TLS settings: \(reason)" }
}

/// The kubelet could not be reached.
struct KubeletDialError: Error, CustomStringConvertible {
    var location: KubeletLocation
    var reason: String

    /// Worded like Go's dial errors, which upstream's messages embed.
    var description: String { "dial tcp \(location.authority): \(reason)" }

    static func describe(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first {
            return describe(first.error)
        }
        if let io = error as? IOError {
            return "connect: " + String(cString: strerror(io.errnoCode)).lowercased()
        }
        if let channel = error as? ChannelError, case .connectTimeout = channel {
            return "i/o timeout"
        }
        return "\(error)"
    }
}
