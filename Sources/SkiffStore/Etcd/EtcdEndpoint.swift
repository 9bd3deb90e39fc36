import Foundation
import NIOSSL

/// An etcd client URL: `http://host:port` (HTTP/2 without TLS) or
/// `https://host:port` (TLS, see ``EtcdTLS``). The port defaults to 2379.
public struct EtcdEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let isTLS: Bool
    public let host: String
    public let port: Int

    public init(isTLS: Bool, host: String, port: Int) {
        self.isTLS = isTLS
        self.host = host
        self.port = port
    }

    /// Parses one URL such as `http://127.0.0.1:2379`.
    /// - Throws: ``StoreError/Code/invalidArgument`` naming the bad URL.
    public init(parsing text: String) throws(StoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func invalid(_ why: String) -> StoreError {
            StoreError(.invalidArgument, "etcd endpoint \(trimmed.debugDescription) \(why)")
        }
        guard trimmed.contains("://") else { throw invalid("must start with http:// or https://, as http://127.0.0.1:2379") }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased() else {
            throw invalid("is not a URL such as http://127.0.0.1:2379")
        }
        guard scheme == "http" || scheme == "https" else { throw invalid("must start with http:// or https://") }
        guard let host = components.host, !host.isEmpty else { throw invalid("has no host") }
        guard components.user == nil, components.password == nil else {
            throw invalid("carries credentials; etcd authentication is by client certificate")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
            throw invalid("must not have a path or query")
        }
        let port = components.port ?? 2379
        guard (1...65535).contains(port) else { throw invalid("has port \(port) out of range") }
        self.init(isTLS: scheme == "https", host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port)
    }

    /// Parses a comma-separated list of URLs, as `--datastore-endpoint` takes it.
    public static func list(_ text: String) throws(StoreError) -> [EtcdEndpoint] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { throw StoreError(.invalidArgument, "no etcd endpoint given") }
        var endpoints: [EtcdEndpoint] = []
        for part in parts { endpoints.append(try EtcdEndpoint(parsing: part)) }
        return endpoints
    }

    var isIPAddress: Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }

    /// `host:port`, IPv6 addresses in brackets.
    var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public var description: String { "\(isTLS ? "https" : "http")://\(authority)" }
}

/// The files for `https://` endpoints: the CA that signed etcd's serving
/// certificate, and the client certificate and key etcd asks for with
/// `--client-cert-auth`. All PEM.
public struct EtcdTLS: Sendable, Hashable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?

    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }

    /// The client context, offering HTTP/2 by ALPN as gRPC requires.
    func makeContext() throws(StoreError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.applicationProtocols = ["h2"]
        do {
            if let caFile {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            }
            switch (certFile, keyFile) {
            case (let cert?, let key?):
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            case (nil, nil):
                break
            default:
                throw StoreError(.invalidArgument, "an etcd client certificate needs both a certificate and a key file")
            }
            return try NIOSSLContext(configuration: configuration)
        } catch let error as StoreError {
            throw error
        } catch {
            let files = [caFile, certFile, keyFile].compactMap { $0 }.joined(separator: ", ")
            throw StoreError(.invalidArgument, "cannot load the etcd TLS files (\(files))", cause: error)
        }
    }
}
