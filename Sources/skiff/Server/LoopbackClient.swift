import SkiffClient
import SkiffPKI

extension APIServerRunner.Running {
    /// A client for a component running inside the server process: it connects
    /// to the server's own listener and, over TLS, presents a client certificate
    /// issued for it at start from the cluster's client CA (never written to
    /// disk), so it is authenticated as itself, e.g. `system:kube-scheduler`.
    func loopbackClient(commonName: String, userAgent: String) throws -> APIClient {
        let host = clientHost.hasPrefix("[") ? String(clientHost.dropFirst().dropLast()) : clientHost
        var configuration: ClientConfiguration
        if let pki {
            let certificate = try pki.issueClientCertificate(commonName: commonName, organizations: [])
            configuration = ClientConfiguration(scheme: .https, host: host, port: port)
            configuration.certificateAuthorityPEM = pki.serverCAPEM
            configuration.credentials = .clientCertificate(
                certificatePEM: certificate.certificatePEM, privateKeyPEM: certificate.privateKeyPEM)
        } else {
            configuration = .plainHTTP(host: host, port: port)
        }
        configuration.userAgent = userAgent
        return try APIClient(configuration)
    }
}
