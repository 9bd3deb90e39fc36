import NIOSSL

/// How the API server reaches kubelets over HTTPS for logs, exec, attach and
/// port-forward: the CA that signs kubelet serving certificates (kube-apiserver's
/// `--kubelet-certificate-authority`) and the client certificate the API server
/// presents to them (`--kubelet-client-certificate` and `--kubelet-client-key`).
public struct KubeletClientSettings: Sendable {
    /// The port kubelets serve on when their Node reports none (kube-apiserver's `--kubelet-port`).
    public static let defaultKubeletPort = 10250

    /// CAs that kubelet serving certificates must chain to, as PEM.
    public var certificateAuthorityPEM: [UInt8]
    /// The client certificate first, then any intermediates, as PEM; nil presents none.
    public var clientCertificateChainPEM: [UInt8]?
    /// The client certificate's private key, as PEM.
    public var clientPrivateKeyPEM: [UInt8]?

    public init(
        certificateAuthorityPEM: [UInt8], clientCertificateChainPEM: [UInt8]? = nil, clientPrivateKeyPEM: [UInt8]? = nil
    ) {
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.clientCertificateChainPEM = clientCertificateChainPEM
        self.clientPrivateKeyPEM = clientPrivateKeyPEM
    }

    /// Checks that the PEM parses and the key matches, so a server refuses bad
    /// settings at start rather than on the first `kubectl logs`.
    public func validate() throws {
        _ = try makeContext(verifyingKubelet: true)
    }

    /// TLS 1.2+ with HTTP/1.1 (WebSocket upgrades need it). Kubelets are reached by
    /// address, so their certificate must carry that IP (or the host name used).
    /// Without verification the kubelet's certificate is not checked at all, which
    /// only `insecureSkipTLSVerifyBackend` on pods/log asks for.
    func makeContext(verifyingKubelet: Bool) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        if verifyingKubelet {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(certificateAuthorityPEM))
            configuration.certificateVerification = .fullVerification
        } else {
            configuration.certificateVerification = .none
        }
        if let chainPEM = clientCertificateChainPEM {
            guard let keyPEM = clientPrivateKeyPEM else { throw KubeletClientSettingsError.keyWithoutCertificate }
            configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(chainPEM).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: keyPEM, format: .pem))
        } else if clientPrivateKeyPEM != nil {
            throw KubeletClientSettingsError.keyWithoutCertificate
        }
        return try NIOSSLContext(configuration: configuration)
    }
}

/// Kubelet client settings that cannot work.
public enum KubeletClientSettingsError: Error, Equatable, CustomStringConvertible {
    /// A client certificate needs its key and a key needs its certificate.
    case keyWithoutCertificate

    public var description: String {
        "the kubelet client certificate and key must be given together"
    }
}
