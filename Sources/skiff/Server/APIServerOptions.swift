import ArgumentParser
import Foundation
import SkiffAPIServer

/// The options of the API server, shared by `skiff server` and `skiff apiserver`.
struct APIServerOptions: ParsableArguments {
    @Option(help: "The address the API server listens on (0.0.0.0: every address).")
    var bindAddress = "0.0.0.0"

    @Option(help: "The address the `kubernetes` Service's endpoints point at (default: the bind address, or the host's first address).")
    var advertiseAddress: String?

    @Option(help: "The HTTPS port; 0 picks a free one (the kubeconfig names it).")
    var httpsPort = APIServerDefaults.securePort

    @Option(help: "Write the admin kubeconfig here (default: DATA-DIR/server/cred/admin.kubeconfig).")
    var writeKubeconfig: String?

    @Option(help: "A static token file (CSV: token,user,uid,\"group1,group2\") for bearer-token authentication.")
    var tokenAuthFile: String?

    @Option(help: "The secret agents join with (a bare secret or a full K10 token); default: the one in DATA-DIR/server/node-token, else a new random one.")
    var token: String?

    @Flag(help: "Serve plain HTTP without authentication instead of HTTPS. For tests only.")
    var plainHTTP = false

    @Option(help: ArgumentHelp(
        "Services' cluster IP range: one CIDR, or an IPv4 and an IPv6 one separated by a comma for dual-stack Services (e.g. 10.43.0.0/16,fd00:43::/108). The first is the primary; its first address is the kubernetes Service's.",
        valueName: "cidrs"))
    var serviceClusterIPRange = APIServerDefaults.serviceCIDR

    func validate() throws {
        guard (0...65535).contains(httpsPort) else { throw ValidationError("--https-port must be 0-65535") }
        if plainHTTP, token != nil { throw ValidationError("--token needs HTTPS: agents cannot join a --plain-http server") }
        _ = try serviceNetwork()
    }

    /// The service CIDRs of `--service-cluster-ip-range` and the default node port range.
    func serviceNetwork() throws -> ServiceNetwork {
        do {
            let cidrs = try ServiceNetwork.parseServiceCIDRs(serviceClusterIPRange)
            return try ServiceNetwork(serviceCIDRs: cidrs, nodePorts: ServiceNetwork.default.nodePorts)
        } catch {
            throw ValidationError("--service-cluster-ip-range \(serviceClusterIPRange): \(error)")
        }
    }

    /// The address kubeconfigs use to reach this server.
    func clientHost() -> String {
        let wildcard = ["0.0.0.0", "::", ""].contains(bindAddress)
        if wildcard { return "127.0.0.1" }
        return bindAddress.contains(":") ? "[\(bindAddress)]" : bindAddress
    }

    /// The address other components reach this server at.
    func advertisedIP(localAddresses: [String]) -> String {
        if let advertiseAddress { return advertiseAddress }
        let wildcard = ["0.0.0.0", "::", ""].contains(bindAddress)
        if !wildcard { return bindAddress }
        return localAddresses.first { !$0.hasPrefix("127.") && !$0.contains(":") } ?? "127.0.0.1"
    }

    func kubeconfigPath(dataDir: String) -> String {
        writeKubeconfig ?? "\(dataDir)/server/cred/admin.kubeconfig"
    }
}
