import Foundation
import X509

/// What a node receives when it joins and keeps in its agent directory (k3s's
/// `agent/` files): the cluster's two CAs, a kubelet client certificate
/// (`CN=system:node:<name>, O=system:nodes`) from the client CA, and a kubelet
/// serving certificate from the server CA for the node's name and addresses.
/// All fields are PEM; the JSON form is the join endpoint's answer.
public struct NodeCredentials: Hashable, Sendable, Codable {
    public var serverCA: String
    public var clientCA: String
    public var clientCertificate: String
    public var clientKey: String
    public var servingCertificate: String
    public var servingKey: String

    public init(
        serverCA: String, clientCA: String, clientCertificate: String, clientKey: String, servingCertificate: String,
        servingKey: String
    ) {
        self.serverCA = serverCA
        self.clientCA = clientCA
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.servingCertificate = servingCertificate
        self.servingKey = servingKey
    }

    /// File names in the agent directory; keys are 0600, certificates 0644.
    public enum FileName {
        public static let serverCA = "server-ca.crt"
        public static let clientCA = "client-ca.crt"
        public static let clientCertificate = "client-kubelet.crt"
        public static let clientKey = "client-kubelet.key"
        public static let servingCertificate = "serving-kubelet.crt"
        public static let servingKey = "serving-kubelet.key"
    }

    /// The kubelet user of node `nodeName`, as upstream's node authorizer expects it.
    public static func user(ofNode nodeName: String) -> String { "system:node:\(nodeName)" }

    /// Issues a node's credentials from the cluster PKI. The serving certificate
    /// also names `localhost` and 127.0.0.1, as k3s's does, so tools on the node
    /// can reach its kubelet by them.
    public static func issue(pki: ClusterPKI, nodeName: String, addresses: [String], now: Date = Date()) throws
        -> NodeCredentials
    {
        let client = try pki.issueClientCertificate(
            commonName: user(ofNode: nodeName), organizations: [PKIDefaults.nodesGroup], now: now)
        let names = try SubjectAltNames(dnsNames: [nodeName, "localhost"], ipAddresses: addresses + ["127.0.0.1"])
        let serving = try pki.issueServingCertificate(commonName: nodeName, names: names, now: now)
        return NodeCredentials(
            serverCA: pki.serverCAPEM, clientCA: pki.clientCAPEM,
            clientCertificate: client.certificatePEM, clientKey: client.privateKeyPEM,
            servingCertificate: serving.certificatePEM, servingKey: serving.privateKeyPEM)
    }

    // MARK: - Files

    /// Writes every file into `directory` (created 0700), keys before certificates,
    /// each atomically, so a crash leaves a set that ``load(from:)`` and
    /// ``problem(nodeName:addresses:now:)`` see as incomplete, never a torn file.
    public func write(to directory: String) throws {
        try FileIO.makeDirectory(directory, mode: 0o700)
        let files: [(String, String, mode_t)] = [
            (FileName.clientKey, clientKey, 0o600), (FileName.servingKey, servingKey, 0o600),
            (FileName.serverCA, serverCA, 0o644), (FileName.clientCA, clientCA, 0o644),
            (FileName.clientCertificate, clientCertificate, 0o644),
            (FileName.servingCertificate, servingCertificate, 0o644),
        ]
        for (name, text, mode) in files {
            try FileIO.writeAtomically(Array(text.utf8), to: "\(directory)/\(name)", mode: mode)
        }
    }

    /// The credentials saved in `directory`, or nil when any file is missing.
    /// An unreadable file throws; contents are checked by ``problem(nodeName:addresses:now:)``.
    public static func load(from directory: String) throws -> NodeCredentials? {
        func read(_ name: String) throws -> String? {
            try FileIO.contentsIfPresent(of: "\(directory)/\(name)").map { String(decoding: $0, as: UTF8.self) }
        }
        guard let serverCA = try read(FileName.serverCA), let clientCA = try read(FileName.clientCA),
            let clientCertificate = try read(FileName.clientCertificate), let clientKey = try read(FileName.clientKey),
            let servingCertificate = try read(FileName.servingCertificate), let servingKey = try read(FileName.servingKey)
        else { return nil }
        return NodeCredentials(
            serverCA: serverCA, clientCA: clientCA, clientCertificate: clientCertificate, clientKey: clientKey,
            servingCertificate: servingCertificate, servingKey: servingKey)
    }

    // MARK: - Checks

    /// Why these credentials cannot serve node `nodeName` at `addresses`, or nil
    /// when they can: every PEM parses, each key is its certificate's, the client
    /// certificate is this node's user and the client CA's, the serving
    /// certificate names the node and its addresses and is the server CA's, and
    /// neither expires within ``PKIDefaults/renewBeforeDays``.
    public func problem(nodeName: String, addresses: [String], now: Date = Date()) -> String? {
        do {
            let serverCA = try PEMFile.certificate(Array(serverCA.utf8), path: FileName.serverCA)
            let clientCA = try PEMFile.certificate(Array(clientCA.utf8), path: FileName.clientCA)
            let client = try CertifiedKey(
                certificate: PEMFile.certificate(Array(clientCertificate.utf8), path: FileName.clientCertificate),
                privateKey: PEMFile.privateKey(Array(clientKey.utf8), path: FileName.clientKey))
            let serving = try CertifiedKey(
                certificate: PEMFile.certificate(Array(servingCertificate.utf8), path: FileName.servingCertificate),
                privateKey: PEMFile.privateKey(Array(servingKey.utf8), path: FileName.servingKey))
            for (pair, name) in [(client, FileName.clientKey), (serving, FileName.servingKey)] {
                if !pair.keyMatchesCertificate { return "\(name) is not the key of its certificate" }
                let days = pair.daysRemaining(at: now)
                if days < Double(PKIDefaults.renewBeforeDays) {
                    return days <= 0 ? "a certificate has expired" : "a certificate expires in \(Int(days)) days"
                }
            }
            if !Self.isSigned(client.certificate, by: clientCA) {
                return "\(FileName.clientCertificate) is not signed by the cluster's client CA"
            }
            if !Self.isSigned(serving.certificate, by: serverCA) {
                return "\(FileName.servingCertificate) is not signed by the cluster's server CA"
            }
            let wanted = ClientIdentity(user: Self.user(ofNode: nodeName), groups: [PKIDefaults.nodesGroup])
            let identity = ClientIdentity.from(certificate: client.certificate)
            if identity != wanted { return "the client certificate is for \(identity?.description ?? "nobody"), not \(wanted)" }
            let needed = try SubjectAltNames(dnsNames: [nodeName], ipAddresses: addresses)
            let lacking = needed.missing(from: try SubjectAltNames(certificate: serving.certificate))
            if !lacking.isEmpty { return "the serving certificate lacks \(lacking.joined(separator: ", "))" }
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func isSigned(_ certificate: Certificate, by ca: Certificate) -> Bool {
        certificate.issuer == ca.subject && ca.publicKey.isValidSignature(certificate.signature, for: certificate)
    }
}
