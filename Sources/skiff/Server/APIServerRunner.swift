import Foundation
import Logging
import SkiffAPIServer
import SkiffPKI
import SkiffStore

/// Runs the API server over a store: certificates, authentication, the HTTP(S)
/// listener and the admin kubeconfig. What `skiff server` and `skiff apiserver`
/// share.
struct APIServerRunner {
    let options: APIServerOptions
    let dataDir: String
    let logger: Logger

    private var tlsDirectory: String { "\(dataDir)/server/tls" }

    /// A started server; call ``Running/stop()`` to end it.
    struct Running {
        let http: APIHTTPServer
        let api: APIServer
        let port: Int
        /// The host in-process components connect to, and the cluster PKI (nil with plain HTTP).
        let clientHost: String
        let pki: ClusterPKI?
        /// The address other hosts reach the server at (the agent's default node IP).
        let advertisedAddress: String

        func stop() async {
            await http.stop(gracePeriod: .seconds(5))
            await api.stop()
        }
    }

    func start(store: any Store) async throws -> Running {
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = options.plainHTTP
        if let path = options.tokenAuthFile {
            let tokens = try TokenFile.load(path: path)
            for warning in tokens.warnings { logger.warning("token file", metadata: ["warning": "\(warning)"]) }
            configuration.tokens = tokens
        }
        let pki = options.plainHTTP ? nil : try loadPKI()
        let tls = pki.map {
            TLSSettings(
                certificateChainPEM: Array($0.servingCertificateChainPEM.utf8),
                privateKeyPEM: Array($0.servingPrivateKeyPEM.utf8), clientCAPEM: Array($0.clientCAPEM.utf8))
        }
        configuration.advertisedAddress = "\(options.clientHost()):\(options.httpsPort)"
        if let pki {
            configuration.kubeletClient = try kubeletClient(pki)
            configuration.nodeJoin = try nodeJoin(pki)
        }
        var context = Registry.Context.server
        context.serviceNetwork = try options.serviceNetwork()
        let api = APIServer(store: store, configuration: configuration, context: context, logger: logger)
        try await api.start()
        let http = APIHTTPServer(handler: api, logger: logger)
        let port = try await http.start(host: options.bindAddress, port: options.httpsPort, tls: tls)
        let advertised = options.advertisedIP(localAddresses: LocalHost.addresses().map(\.description))
        try await api.announce(address: advertised, port: port)
        if let pki {
            let path = options.kubeconfigPath(dataDir: dataDir)
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            try Kubeconfig.admin(server: "https://\(options.clientHost()):\(port)", pki: pki).write(to: path)
            logger.info("wrote admin kubeconfig", metadata: ["path": "\(path)"])
        }
        logger.info("api server ready", metadata: ["port": "\(port)", "tls": "\(tls != nil)"])
        return Running(
            http: http, api: api, port: port, clientHost: options.clientHost(), pki: pki, advertisedAddress: advertised)
    }

    /// Kubelets serve with certificates from the server CA; the API server shows
    /// them a client certificate from the client CA, issued afresh at each start
    /// (kubelets trust the CA, not one certificate), named as kubeadm names it.
    private func kubeletClient(_ pki: ClusterPKI) throws -> KubeletClientSettings {
        let client = try pki.issueClientCertificate(
            commonName: "kube-apiserver-kubelet-client", organizations: ["system:masters"])
        let settings = KubeletClientSettings(
            certificateAuthorityPEM: Array(pki.serverCAPEM.utf8),
            clientCertificateChainPEM: Array(client.certificatePEM.utf8),
            clientPrivateKeyPEM: Array(client.privateKeyPEM.utf8))
        try settings.validate()
        return settings
    }

    /// Agents join with the node token, made on first start and kept across
    /// restarts; its hash pins the server CA that `/cacerts` serves.
    private func nodeJoin(_ pki: ClusterPKI) throws -> NodeJoin {
        let path = "\(dataDir)/server/node-token"
        let outcome = try NodeTokenFile.loadOrCreate(path: path, chosenSecret: options.token, serverCAPEM: pki.serverCAPEM)
        var metadata: Logger.Metadata = ["path": "\(path)"]
        if let change = outcome.change { metadata["change"] = "\(change)" }
        logger.info("node token for skiff agent --token", metadata: metadata)
        return NodeJoin(pki: pki, secret: outcome.token.secret, logger: logger)
    }

    /// The cluster CAs and certificates, created on first start; the serving
    /// certificate gains any new host name or address.
    private func loadPKI() throws -> ClusterPKI {
        var addresses = LocalHost.addresses().map(\.description)
        if !["0.0.0.0", "::"].contains(options.bindAddress) { addresses.append(options.bindAddress) }
        // In-cluster clients reach the server at the kubernetes Service's address.
        let serviceIP = try options.serviceNetwork().serviceCIDR.firstAddress.description
        let names = try SubjectAltNames.apiServer(hostName: LocalHost.name(), addresses: addresses, serviceIP: serviceIP)
        let pki = try ClusterPKI.loadOrCreate(directory: tlsDirectory, servingNames: names)
        for change in pki.changes { logger.info("pki", metadata: ["change": "\(change)"]) }
        return pki
    }
}
