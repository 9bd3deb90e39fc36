import ArgumentParser
import Foundation
import Logging
import SkiffClient
import SkiffKubelet
import SkiffProxy

/// `skiff proxy`: the service proxy alone, against any API server.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy", abstract: "Run the service proxy (ClusterIP and NodePort through nftables or iptables) on this node.")

    @Option(help: "The kubeconfig to reach the API server with.")
    var kubeconfig: String

    @OptionGroup var options: ProxyOptions

    func run() async throws {
        let shutdown = ShutdownSignal()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "skiff.proxy")
        var configuration = try ClientConfiguration.load(kubeconfigPath: kubeconfig)
        configuration.userAgent = "skiff-proxy"
        let client = try APIClient(configuration)
        let running = try await ProxyRunner.start(
            client: client, options: options, nodeName: options.hostnameOverride ?? KubeletConfiguration.defaultNodeName,
            logger: logger)
        let signal = await shutdown.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        await running.stop()
        client.close()
    }
}

/// The proxy's options, for `skiff proxy` (and the defaults `skiff agent` runs it with).
struct ProxyOptions: ParsableArguments {
    @Option(help: "nftables (the map-driven `ip skiff` and `ip6 skiff` tables) or iptables (KUBE-* chains through iptables-restore and ip6tables-restore).")
    var proxyMode: ProxyMode = .nftables

    @Option(help: "The pods' address range, or one IPv4 and one IPv6 range separated by a comma (dual-stack: Services of both families are programmed): traffic to a ClusterIP from outside it is masqueraded, and so is pods' traffic leaving it.")
    var clusterCIDR = "10.42.0.0/16"

    @Flag(inversion: .prefixedNo, help: "Masquerade pods' traffic to addresses outside the cluster CIDR (node addresses and beyond), as flannel does.")
    var egressMasquerade = true

    @Option(help: "The Node name this proxy serves (for the Local traffic policies; default: this host's name, lowercased).")
    var hostnameOverride: String?

    @Option(help: "HOST:PORT of /healthz and /livez (and /metrics); empty disables it.")
    var healthzBindAddress = "127.0.0.1:10256"

    @Option(help: "Seconds between full resyncs, which also repair a hand-edited table.")
    var syncPeriod = 300

    @Option(help: "Milliseconds a burst of changes is collected before one sync.")
    var minSyncPeriod = 100

    func validate() throws {
        do { _ = try IPCIDR.list(clusterCIDR) } catch { throw ValidationError("--cluster-cidr \(error)") }
        guard syncPeriod > 0, minSyncPeriod >= 0 else { throw ValidationError("--sync-period must be > 0, --min-sync-period ≥ 0") }
        if !healthzBindAddress.isEmpty, ProxyHealthServer.split(healthzBindAddress) == nil {
            throw ValidationError("--healthz-bind-address \(healthzBindAddress) is not HOST:PORT")
        }
    }
}

extension ProxyMode: ExpressibleByArgument {}
