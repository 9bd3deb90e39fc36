import Foundation
import NIOSSL
import SkiffPKI

/// Where the API server is and how to reach it: `https` trusting a CA with a
/// client certificate or bearer token, or plain `http` (tests, `--plain-http`).
public struct ClientConfiguration: Sendable {
    public enum Scheme: String, Sendable {
        case http, https
    }

    public var scheme: Scheme
    public var host: String
    public var port: Int
    /// PEM of the CA the server's certificate must chain to (https).
    public var certificateAuthorityPEM: String?
    public var credentials: Kubeconfig.Credentials?
    /// Sent as `User-Agent`; the server records it as the field manager of writes.
    public var userAgent = "skiff"
    /// Keep-alive connections kept open at most (watches use their own).
    public var maximumConnections = 16

    public init(scheme: Scheme, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Plain HTTP, for a server started with `--plain-http` or in tests.
    public static func plainHTTP(host: String = "127.0.0.1", port: Int) -> ClientConfiguration {
        ClientConfiguration(scheme: .http, host: host, port: port)
    }

    /// From a kubeconfig's server URL, CA and credentials.
    public init(kubeconfig: Kubeconfig) throws(ClientError) {
        let url = try Self.parse(server: kubeconfig.server)
        self.init(scheme: url.scheme, host: url.host, port: url.port)
        certificateAuthorityPEM = kubeconfig.certificateAuthorityPEM.isEmpty ? nil : kubeconfig.certificateAuthorityPEM
        credentials = kubeconfig.credentials
    }

    /// Reads a kubeconfig file (its current context) as kubectl does.
    public static func load(kubeconfigPath path: String) throws(ClientError) -> ClientConfiguration {
        try ClientConfiguration(kubeconfig: KubeconfigFile.load(path: path))
    }

    /// `scheme://host:port` with an optional trailing slash; IPv6 hosts in brackets.
    static func parse(server: String) throws(ClientError) -> (scheme: Scheme, host: String, port: Int) {
        let invalid = ClientError(code: 0, reason: .invalid, message: "invalid server URL \"\(server)\"")
        guard let separator = server.range(of: "://"), let scheme = Scheme(rawValue: String(server[..<separator.lowerBound]))
        else { throw invalid }
        var rest = server[separator.upperBound...]
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/") else { throw invalid }
        let defaultPort = scheme == .https ? 443 : 80
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid }
            let host = String(rest[rest.index(after: rest.startIndex)..<close])
            let tail = rest[rest.index(after: close)...]
            if tail.isEmpty { return (scheme, host, defaultPort) }
            guard tail.hasPrefix(":"), let port = Int(tail.dropFirst()) else { throw invalid }
            return (scheme, host, port)
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (scheme, String(rest), defaultPort)
        case 2:
            guard let port = Int(parts[1]), (1...65535).contains(port) else { throw invalid }
            return (scheme, String(parts[0]), port)
        default: throw invalid
        }
    }

    /// The TLS context: only the configured CA is trusted; a client certificate
    /// is presented when the credentials are one. HTTP/1.1 only.
    func tlsContext() throws(ClientError) -> NIOSSLContext? {
        guard scheme == .https else { return nil }
        do {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            tls.applicationProtocols = ["http/1.1"]
            if let pem = certificateAuthorityPEM {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
            }
            if case .clientCertificate(let certificatePEM, let keyPEM) = credentials {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))
            }
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw ClientError(code: 0, reason: .invalid, message: "TLS configuration: \(error)")
        }
    }

    /// The `Authorization` header value, for token credentials.
    var authorization: String? {
        if case .token(let token) = credentials { return "Bearer \(token)" }
        return nil
    }

    /// The name the server's certificate must carry: NIOSSL checks an IP address
    /// against the certificate's IP SANs when no host name is given.
    var serverName: String? {
        isIPAddress(host) ? nil : host
    }

    private func isIPAddress(_ text: String) -> Bool {
        text.contains(":") || text.split(separator: ".").count == 4 && text.allSatisfy { $0.isNumber || $0 == "." }
    }
}
