import Foundation
import Logging
import SkiffAPIServer
import SkiffClient
import SkiffKubelet
import SkiffPKI
import SkiffProxy
import SkiffRuntime

/// A kubelet and its server, and the routes to other nodes' pods, running in
/// tasks of this process.
struct AgentRunner {
    let task: Task<Void, Never>
    let server: KubeletServer?
    var proxy: ProxyRunner?

    /// Starts the kubelet (and with `proxy` the service proxy, in `proxyMode`, for a
    /// cluster whose pods are in `clusterCIDR`); `serving` (a certificate and the client CA) makes the
    /// kubelet server listen on the node IP for the API server's logs and exec.
    static func start(
        client: APIClient, options: AgentOptions, configuration: KubeletConfiguration, serving: TLSSettings?,
        logger: Logger, proxy runsProxy: Bool = false, proxyMode: ProxyMode = .nftables,
        clusterCIDR: String = AgentOptions.defaultClusterCIDR
    ) async throws -> AgentRunner {
        let runtime = try ContainerRuntime(
            root: options.runtimeRoot, cgroups: try CgroupManager(parent: options.cgroupParent))
        let images = try ImageStore(root: options.runtimeRoot + "/images")
        let kubelet = Kubelet(
            configuration: configuration, client: client, runtime: runtime, imageStore: images,
            volumes: PodVolumes(podsDirectory: configuration.podsDirectory), logger: logger)
        var server: KubeletServer?
        if let serving {
            let kubeletServer = KubeletServer(directory: kubelet.directory, runtime: runtime, tls: serving)
            let port = try await kubeletServer.start(host: configuration.nodeIP, port: configuration.port)
            logger.info("kubelet server ready", metadata: ["address": "\(configuration.nodeIP):\(port)"])
            server = kubeletServer
        } else {
            logger.warning("no kubelet serving certificate: kubectl logs and exec will not reach this node")
        }
        let routes = NodeRoutes(
            client: client, nodeName: configuration.nodeName,
            table: KernelRouteTable(networkNamespace: configuration.cniPluginNetworkNamespace),
            logger: Logger(label: "skiff.routes"))
        let task = Task {
            async let routing: Void = routes.run()
            async let trimming: Void = HeapTrimmer.run(every: .seconds(10))
            await kubelet.run()
            await routing
            await trimming
        }
        let proxy = !runsProxy
            ? nil
            : await ProxyRunner.startInAgent(
                client: client, nodeName: configuration.nodeName, mode: proxyMode, clusterCIDR: clusterCIDR,
                logger: Logger(label: "skiff.proxy"))
        return AgentRunner(task: task, server: server, proxy: proxy)
    }

    func stop() async {
        await proxy?.stop()
        task.cancel()
        await task.value
        await server?.stop()
    }

    /// A serving certificate for the kubelet from the cluster's server CA, for the
    /// node's address and name, trusting the cluster's client CA.
    static func serving(pki: ClusterPKI, configuration: KubeletConfiguration) throws -> TLSSettings {
        let names = try SubjectAltNames(
            dnsNames: [configuration.nodeName, "localhost"], ipAddresses: [configuration.nodeIP, "127.0.0.1"])
        let certified = try pki.issueServingCertificate(commonName: configuration.nodeName, names: names)
        return TLSSettings(
            certificateChainPEM: Array(certified.certificatePEM.utf8),
            privateKeyPEM: Array(certified.privateKeyPEM.utf8), clientCAPEM: Array(pki.clientCAPEM.utf8))
    }
}
