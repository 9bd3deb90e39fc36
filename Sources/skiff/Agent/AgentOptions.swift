import ArgumentParser
import Foundation
import SkiffKubelet
import SkiffPKI
import SkiffRuntime

/// The node agent's options, shared by `skiff server` (its own agent),
/// `skiff kubelet` and `skiff agent`.
struct AgentOptions: ParsableArguments {
    @Option(help: "The Node's name (default: this host's name, lowercased).")
    var nodeName: String?

    @Option(help: "The node's InternalIP, which the API server reaches the kubelet on (default: the first non-loopback IPv4 address).")
    var nodeIP: String?

    @Option(help: "The pod address range, written into a Node that has no spec.podCIDR (default: wait for the controller manager's node IPAM to give one).")
    var podCIDR: String?

    @Option(help: "The agent's state: runtime/ (containers, images/), kubelet/, sandboxes/, cni/.")
    var agentStateDir = "/var/lib/skiff"

    @Option(help: "Pinned pod namespaces live here.")
    var agentRunDir = SandboxDefaults.runDirectory

    @Option(help: "Container logs, as /var/log/pods/<namespace>_<pod>_<uid>/<container>/<n>.log.")
    var podLogDir = "/var/log/pods"

    @Option(help: "The cgroup, under this process's own, that pods nest in.")
    var cgroupParent = RuntimeDefaults.cgroupParent

    @Option(help: "The kubelet server's port.")
    var kubeletPort = 10250

    @Option(help: "A label for the Node, KEY=VALUE. Repeatable.")
    var nodeLabel: [String] = []

    @Option(help: "A taint the Node registers with, KEY[=VALUE]:EFFECT. Repeatable.")
    var registerWithTaints: [String] = []

    @Option(name: .customLong("insecure-registry"), help: "A registry (HOST:PORT) to pull from over plain http. Repeatable.")
    var insecureRegistries: [String] = []

    @Option(help: "The cluster DNS service address written into pods' resolv.conf. Repeatable.")
    var clusterDNS: [String] = []

    @Option(help: "The cluster's DNS domain.")
    var clusterDomain = "cluster.local"

    var runtimeRoot: String { agentStateDir + "/runtime" }

    /// Whether an IPv4 address lies in an IPv4 CIDR (false for anything that does not parse).
    static func address(_ address: String, isIn cidr: String) -> Bool {
        func value(_ text: Substring) -> UInt32? {
            let parts = text.split(separator: ".").compactMap { UInt32($0) }
            guard parts.count == 4, parts.allSatisfy({ $0 < 256 }) else { return nil }
            return parts.reduce(0) { $0 << 8 | $1 }
        }
        let pieces = cidr.split(separator: "/")
        guard pieces.count == 2, let network = value(pieces[0]), let bits = UInt32(pieces[1]), bits <= 32,
            let host = value(Substring(address))
        else { return false }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return host & mask == network & mask
    }

    func validate() throws {
        for label in nodeLabel where !label.contains("=") {
            throw ValidationError("--node-label \(label) must be KEY=VALUE")
        }
    }

    /// The cluster CIDR an agent assumes when it is not told (the controller manager's default).
    static let defaultClusterCIDR = "10.42.0.0/16"

    /// The kubelet's configuration; `defaultNodeIP` is used when --node-ip is not
    /// given; `clusterCIDR` is the range node IPAM cuts podCIDRs from.
    func kubeletConfiguration(defaultNodeIP: String? = nil, clusterCIDR: String = defaultClusterCIDR) -> KubeletConfiguration {
        // Never an address of the pod bridge: once pods run, the node has one in
        // its podCIDR (--pod-cidr, or else one node IPAM cuts from the cluster CIDR).
        let podRange = podCIDR ?? clusterCIDR
        let outsidePods = { (address: String) in !Self.address(address, isIn: podRange) }
        let ip = nodeIP ?? defaultNodeIP.flatMap { outsidePods($0) ? $0 : nil }
            ?? LocalHost.addresses().map(\.description).first { !$0.hasPrefix("127.") && !$0.contains(":") && outsidePods($0) }
            ?? "127.0.0.1"
        var configuration = KubeletConfiguration(nodeName: nodeName ?? KubeletConfiguration.defaultNodeName, nodeIP: ip)
        configuration.podCIDR = podCIDR
        configuration.port = kubeletPort
        configuration.rootDirectory = agentStateDir + "/kubelet"
        configuration.podLogDirectory = podLogDir
        configuration.sandboxRunDirectory = agentRunDir
        configuration.sandboxStateDirectory = agentStateDir + "/sandboxes"
        configuration.ipamDataDirectory = agentStateDir + "/cni/networks"
        configuration.insecureRegistries = Set(insecureRegistries)
        configuration.clusterDNS = clusterDNS
        configuration.clusterDomain = clusterDomain
        configuration.registerTaints = registerWithTaints
        for label in nodeLabel {
            let parts = label.split(separator: "=", maxSplits: 1)
            configuration.nodeLabels[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return configuration
    }
}
