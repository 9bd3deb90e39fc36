import Foundation
import Logging
import SkiffAPIServer
import SkiffClient
import SkiffProxy
import SkiffTime

/// A proxier and its health server running in tasks of this process.
struct ProxyRunner {
    let task: Task<Void, Never>
    let health: ProxyHealthServer?

    static func start(client: APIClient, options: ProxyOptions, nodeName: String, logger: Logger) async throws -> ProxyRunner {
        var configuration = Proxier.Configuration(nodeName: nodeName, clusterCIDRs: try IPCIDR.list(options.clusterCIDR))
        configuration.resyncInterval = .seconds(options.syncPeriod)
        configuration.minSyncInterval = .milliseconds(options.minSyncPeriod)
        configuration.egressMasquerade = options.egressMasquerade
        let egress = options.egressMasquerade
        // One backend per family of the cluster CIDRs: `ip skiff` and `ip6 skiff`, or iptables and ip6tables.
        var backends: [any ProxyBackend] = []
        // Both tables over one socket: the families sync one after the other.
        let netfilter = options.proxyMode == .nftables ? try NetfilterSocket() : nil
        for (index, cidr) in configuration.clusterCIDRs.enumerated() {
            switch options.proxyMode {
            case .nftables:
                backends.append(NFTablesBackend(transport: netfilter!, clusterCIDR: cidr, egressMasquerade: egress))
            case .iptables:
                if let missing = IPTablesCommands.missingProgram(family: cidr.family) {
                    guard index > 0 else { throw missing }
                    // As upstream: the secondary family is left out, the primary one runs.
                    logger.warning("second IP family not programmed", metadata: ["family": "\(cidr.family.rawValue)", "error": "\(missing)"])
                    configuration.clusterCIDRs.remove(at: index)
                    continue
                }
                backends.append(IPTablesBackend(
                    runner: IPTablesCommands(family: cidr.family), clusterCIDR: cidr, egressMasquerade: egress))
            }
        }
        // Health-check NodePorts answer on every address, as the NodePorts do: of both
        // families when dual-stack (Linux's "::" socket takes IPv4 too).
        configuration.healthCheckHost = configuration.clusterCIDRs.contains { $0.family == .ipv6 } ? "::" : "0.0.0.0"
        let conntrack = ConntrackCommands(report: { logger.warning("stale UDP flows", metadata: ["problem": "\($0)"]) })
        let proxier = Proxier(
            client: client, backends: backends, configuration: configuration, conntrack: conntrack, logger: logger)
        var health: ProxyHealthServer?
        if let (host, port) = ProxyHealthServer.split(options.healthzBindAddress) {
            let server = ProxyHealthServer(status: proxier.status, logger: logger)
            let bound = try await server.start(host: host, port: port)
            logger.info("proxy health server ready", metadata: ["address": "\(host):\(bound)"])
            health = server
        }
        logger.info("proxy starting", metadata: [
            "node": "\(nodeName)", "mode": "\(options.proxyMode.rawValue)", "clusterCIDR": "\(options.clusterCIDR)",
            "egressMasquerade": "\(options.egressMasquerade)",
        ])
        return ProxyRunner(task: Task { await proxier.run() }, health: health)
    }

    /// The proxy inside `skiff agent` and `skiff server`: the default options but the
    /// mode and the cluster CIDR. A proxy that cannot start (no CAP_NET_ADMIN, no
    /// nf_tables, no iptables) is logged and left out: the kubelet runs on without it.
    static func startInAgent(
        client: APIClient, nodeName: String, mode: ProxyMode, clusterCIDR: String, logger: Logger
    ) async -> ProxyRunner? {
        do {
            // parse(…): an option group made with init() crashes when a default is read.
            let options = try ProxyOptions.parse(["--proxy-mode", mode.rawValue, "--cluster-cidr", clusterCIDR])
            return try await start(client: client, options: options, nodeName: nodeName, logger: logger)
        } catch {
            logger.error("service proxy not started", metadata: ["error": "\(error)"])
            return nil
        }
    }

    func stop() async {
        task.cancel()
        await task.value
        await health?.stop()
    }
}

/// The proxy's HTTP endpoint: /healthz, /livez and /metrics.
final class ProxyHealthServer: Sendable {
    private let http: APIHTTPServer

    init(status: ProxyStatus, logger: Logger) {
        http = APIHTTPServer(handler: ProxyHealthHandler(status: status), logger: logger)
    }

    func start(host: String, port: Int) async throws -> Int {
        try await http.start(host: host, port: port, tls: nil)
    }

    func stop() async { await http.stop(gracePeriod: .seconds(1)) }

    static func split(_ address: String) -> (String, Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        return (String(address[..<colon]), port)
    }
}

/// /healthz and /livez as upstream's kube-proxy answers them (200 with the last
/// update time while syncs keep up, 503 otherwise), and /metrics.
struct ProxyHealthHandler: APIHandler {
    let status: ProxyStatus

    func handle(_ request: APIRequest) async -> APIResponse {
        switch request.path {
        case "/healthz", "/livez":
            let (healthy, lastUpdated) = status.healthy()
            let stamp = { (date: Date) in RFC3339.format(date, fractionDigits: 0) }
            let body = "{\"lastUpdated\": \"\(lastUpdated.map(stamp) ?? "")\",\"currentTime\": \"\(stamp(Date()))\"}"
            return APIResponse(status: healthy ? 200 : 503, contentType: "application/json", body: Array(body.utf8))
        case "/metrics":
            return APIResponse(contentType: "text/plain; version=0.0.4", body: Array(status.prometheusText().utf8))
        default:
            return APIResponse(status: 404, contentType: "text/plain", body: Array("404 page not found\n".utf8))
        }
    }
}
