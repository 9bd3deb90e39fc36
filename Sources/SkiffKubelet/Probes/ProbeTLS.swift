import NIOCore
import NIOSSL

/// TLS for HTTPS probes and hooks: like upstream, the kubelet does not verify the
/// pod's certificate (pods serve self-signed ones, for names the node cannot check).
enum ProbeTLS {
    /// One context for every probe; making one loads the TLS library's state.
    static let context: Result<NIOSSLContext, any Error> = Result {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return try NIOSSLContext(configuration: configuration)
    }

    /// The SNI name for a host: names only, never addresses (TLS forbids them there).
    static func serverName(for host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}
