import Foundation
import SkiffRuntime

/// How a kubelet runs: who it is, where it keeps state, and its timings
/// (upstream's defaults unless a test shortens them).
public struct KubeletConfiguration: Sendable {
    /// The Node's name (`--hostname-override`), lowercased host name by default.
    public var nodeName: String
    /// The node's InternalIP, which the API server reaches the kubelet on.
    public var nodeIP: String
    /// Labels added to the node's own (kubernetes.io/hostname, os, arch).
    public var nodeLabels: [String: String] = [:]
    /// Taints the node registers with (`--register-with-taints`).
    public var registerTaints: [String] = []
    /// The podCIDR used when the Node has none (one-node clusters, before node IPAM).
    public var podCIDR: String?
    /// The port of the kubelet server, reported in the Node's daemonEndpoints.
    public var port = 10250
    public var maxPods = 110
    /// Pods, their volumes and the pod logs live under these.
    public var rootDirectory = "/var/lib/skiff/kubelet"
    public var podLogDirectory = "/var/log/pods"
    /// Cluster DNS servers and domain written into pods' resolv.conf.
    public var clusterDNS: [String] = []
    public var clusterDomain = "cluster.local"
    /// Registries reached over plain http (`host:port`).
    public var insecureRegistries: Set<String> = []

    /// Pod sandboxes: pinned namespaces, records, host-local's leases, the bridge,
    /// and the network namespace CNI plugins run in (nil: the kubelet's own; a
    /// test's or a lab node's namespace otherwise).
    public var sandboxRunDirectory = SandboxDefaults.runDirectory
    public var sandboxStateDirectory = SandboxDefaults.stateDirectory
    public var ipamDataDirectory = SandboxDefaults.ipamDataDirectory
    public var bridgeName = DefaultNetwork.bridge
    public var cniPluginNetworkNamespace: String?

    /// The Lease in kube-node-lease is renewed this often and lasts this long.
    public var leaseRenewInterval: Duration = .seconds(10)
    public var leaseDurationSeconds: Int32 = 40
    /// Node status is checked this often and sent when it changed, or at least
    /// every `nodeStatusReportInterval`.
    public var nodeStatusUpdateInterval: Duration = .seconds(10)
    public var nodeStatusReportInterval: Duration = .seconds(60)
    /// Every pod worker syncs at least this often even without a change.
    public var podResyncInterval: Duration = .seconds(10)
    /// The runtime is listed this often to notice containers that ended (upstream's PLEG relist).
    public var relistInterval: Duration = .seconds(1)
    /// Crash-loop back-off: first delay and cap (upstream: 10 s doubling to 5 min).
    public var backOffInitial: Duration = .seconds(10)
    public var backOffMaximum: Duration = .seconds(300)

    public init(nodeName: String, nodeIP: String) {
        self.nodeName = nodeName
        self.nodeIP = nodeIP
    }

    public var podsDirectory: String { rootDirectory + "/pods" }

    /// The host name as a node name: lowercased, as the kubelet does.
    public static var defaultNodeName: String {
        ProcessInfo.processInfo.hostName.lowercased().split(separator: ".").first.map(String.init) ?? "localhost"
    }
}
