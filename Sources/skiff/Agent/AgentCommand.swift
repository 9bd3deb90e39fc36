import ArgumentParser
import Foundation
import Logging
import SkiffAPIServer
import SkiffClient
import SkiffKubelet
import SkiffPKI
import SkiffProxy

/// `skiff agent`: a node joining a cluster with the server's node token — the
/// kubelet and its server, with credentials the server issued for this node.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "Run a node agent (the kubelet) that joins a cluster with its node token.")

    @Option(help: "The server to join, https://HOST:PORT.")
    var server: String

    @Option(help: "The node token from the server's DATA-DIR/server/node-token (K10<CA hash>::node:<secret>). A bare secret trusts the server's CA on first use.")
    var token: String

    @OptionGroup var agent: AgentOptions

    @Flag(help: "Do not run the service proxy beside the kubelet.")
    var disableKubeProxy = false

    @Option(help: "How the service proxy programs the node: nftables or iptables.")
    var proxyMode: ProxyMode = .nftables

    @Option(help: "The cluster's pod range, as the server's --cluster-cidr: the proxy masquerades Service traffic from outside it and pods' traffic leaving it.")
    var clusterCIDR = AgentOptions.defaultClusterCIDR

    @Flag(help: "On shutdown, cordon this node and evict its pods (not DaemonSets') before stopping, as kubectl drain does.")
    var drain = false

    @Option(help: "How long --drain waits for the evicted pods to be gone (e.g. 90s, 5m).", transform: DurationFlag.parse)
    var drainTimeout: Duration = .seconds(300)

    func validate() throws {
        do { _ = try JoinServer(url: server) } catch { throw ValidationError(error.description) }
        do { _ = try JoinToken(parsing: token) } catch { throw ValidationError("--token: \(error)") }
        // The kubelet's pod network is IPv4 only (so far): no dual-stack list here.
        guard IPCIDR(clusterCIDR)?.family == .ipv4 else { throw ValidationError("--cluster-cidr \(clusterCIDR) is not an IPv4 CIDR") }
    }

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "skiff.agent")
        let joinServer = try JoinServer(url: server)
        let kubelet = agent.kubeletConfiguration(clusterCIDR: clusterCIDR)
        let joiner = NodeJoiner(
            server: joinServer, token: try JoinToken(parsing: token), directory: agent.agentStateDir + "/agent",
            nodeName: kubelet.nodeName, addresses: [kubelet.nodeIP], logger: logger)
        // Until the node has credentials nothing needs a clean stop, so signals
        // keep their default action and end a join that waits for its server.
        let credentials: NodeCredentials
        do {
            credentials = try await joiner.credentials()
        } catch let refused as NodeJoiner.Refused {
            throw CommandFailure(refused.description)
        }
        let shutdown = ShutdownSignal()

        var clientConfiguration = ClientConfiguration(scheme: .https, host: joinServer.host, port: joinServer.port)
        clientConfiguration.certificateAuthorityPEM = credentials.serverCA
        clientConfiguration.credentials = .clientCertificate(
            certificatePEM: credentials.clientCertificate, privateKeyPEM: credentials.clientKey)
        clientConfiguration.userAgent = "skiff-kubelet"
        let client = try APIClient(clientConfiguration)
        let serving = TLSSettings(
            certificateChainPEM: Array(credentials.servingCertificate.utf8),
            privateKeyPEM: Array(credentials.servingKey.utf8), clientCAPEM: Array(credentials.clientCA.utf8))
        let running = try await AgentRunner.start(
            client: client, options: agent, configuration: kubelet, serving: serving,
            logger: Logger(label: "skiff.kubelet"), proxy: !disableKubeProxy, proxyMode: proxyMode,
            clusterCIDR: clusterCIDR)
        let signal = await shutdown.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        if drain {
            await NodeDrain(client: client, nodeName: kubelet.nodeName, logger: logger).run(timeout: drainTimeout)
        }
        await running.stop()
        client.close()
    }
}
