import Logging
import SkiffAPIServer
import SkiffRuntime
#if canImport(Glibc)
import Glibc
#endif

/// The HTTPS server every node runs on :10250, which the API server reaches for
/// `pods/log` (`/containerLogs`), `pods/exec` (`/exec`), `pods/attach` (`/attach`)
/// and `pods/portforward` (`/portForward`), plus `/healthz` and `/metrics`.
///
/// Over TLS, every request but `/healthz` must present a client certificate from
/// `tls.clientCAPEM` (401 otherwise), and only the API server's kubelet client
/// (`kube-apiserver-kubelet-client`) and `system:masters` are let through (403
/// otherwise, worded as upstream's kubelet authorizer). Without TLS (tests) there
/// are no checks at all.
public final class KubeletServer: Sendable {
    private let http: APIHTTPServer
    private let tls: TLSSettings?
    private let logger: Logger

    /// - Parameters:
    ///   - directory: the pods this node runs, from the kubelet core.
    ///   - runtime: the container runtime that runs them.
    ///   - tls: the serving certificate and the cluster client CA; nil serves plain HTTP.
    public init(
        directory: any KubeletContainerDirectory, runtime: ContainerRuntime, tls: TLSSettings?,
        logger: Logger = Logger(label: "skiff.kubelet.server")
    ) {
        let router = KubeletRouter(
            authorizer: tls == nil ? nil : KubeletAuthorizer(),
            logs: ContainerLogsEndpoint(directory: directory, runtime: runtime),
            remoteCommand: RemoteCommandEndpoint(directory: directory, runtime: runtime),
            portForward: PortForwardEndpoint(directory: directory, logger: logger),
            metrics: MetricsEndpoint(directory: directory), logger: logger)
        http = APIHTTPServer(handler: router, logger: logger)
        self.tls = tls
        self.logger = logger
    }

    /// Listens on `host:port` (port 0 picks a free one) and returns the bound port.
    public func start(host: String = "127.0.0.1", port: Int = 10250) async throws -> Int {
        // A command that exits leaves its pipes' other ends behind: a write to one must
        // fail with EPIPE, not end the agent.
        signal(SIGPIPE, SIG_IGN)
        return try await http.start(host: host, port: port, tls: tls)
    }

    /// Stops listening, ends streams and sessions, and returns when every connection is closed.
    public func stop(gracePeriod: Duration = .seconds(5)) async {
        await http.stop(gracePeriod: gracePeriod)
    }
}
