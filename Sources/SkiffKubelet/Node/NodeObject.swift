import SkiffAPI
import SkiffAPIServer

/// The Node a kubelet registers and keeps up to date: labels, addresses,
/// capacity and allocatable, nodeInfo, daemon endpoints.
struct NodeObject: Sendable {
    let configuration: KubeletConfiguration
    let machine: MachineInfo

    static let architecture: String = {
        #if arch(x86_64)
            "amd64"
        #elseif arch(arm64)
            "arm64"
        #else
            "unknown"
        #endif
    }()

    var labels: [String: String] {
        var labels = [
            "kubernetes.io/hostname": configuration.nodeName, "kubernetes.io/os": "linux",
            "kubernetes.io/arch": Self.architecture, "beta.kubernetes.io/os": "linux",
            "beta.kubernetes.io/arch": Self.architecture,
        ]
        labels.merge(configuration.nodeLabels) { $1 }
        return labels
    }

    /// The Node to create when none exists.
    func registration() throws(KubeletError) -> Node {
        var node = Node()
        node.metadata.name = configuration.nodeName
        node.metadata.labels = labels
        node.spec.podCIDR = configuration.podCIDR
        node.spec.podCIDRs = configuration.podCIDR.map { [$0] }
        if !configuration.registerTaints.isEmpty {
            node.spec.taints = try configuration.registerTaints.map(Self.taint)
        }
        node.status = status(conditions: [])
        return node
    }

    /// An existing Node brought up to date with what this kubelet reports: its
    /// labels added, a podCIDR set if it had none; taints and the rest are left to
    /// the cluster.
    func reconcile(_ existing: Node) -> Node {
        var node = existing
        node.metadata.labels = (existing.metadata.labels ?? [:]).merging(labels) { $1 }
        if node.spec.podCIDR == nil, let cidr = configuration.podCIDR {
            node.spec.podCIDR = cidr
            node.spec.podCIDRs = [cidr]
        }
        return node
    }

    /// The status fields the kubelet owns; images and volumes are left out.
    func status(conditions: [NodeCondition]) -> NodeStatus {
        var status = NodeStatus()
        let capacity: ResourceList = [
            "cpu": Quantity(Int64(machine.cpuCount)),
            "memory": Quantity(machine.memoryBytes, format: .binarySI),
            "ephemeral-storage": Quantity(machine.ephemeralStorageBytes, format: .binarySI),
            "pods": Quantity(Int64(configuration.maxPods)),
            "hugepages-1Gi": Quantity(0), "hugepages-2Mi": Quantity(0),
        ]
        status.capacity = capacity
        var allocatable = capacity
        // Upstream reserves the hard eviction thresholds out of allocatable.
        allocatable["memory"] = Quantity(
            max(0, machine.memoryBytes - NodeConditions.memoryAvailableMinimum), format: .binarySI)
        allocatable["ephemeral-storage"] = Quantity(
            Int64(Double(machine.ephemeralStorageBytes) * (1 - NodeConditions.diskAvailableMinimumFraction)),
            format: .binarySI)
        status.allocatable = allocatable
        status.conditions = conditions
        status.addresses = [
            NodeAddress(type: "InternalIP", address: configuration.nodeIP),
            NodeAddress(type: "Hostname", address: configuration.nodeName),
        ]
        status.daemonEndpoints.kubeletEndpoint.Port = Int32(configuration.port)
        var info = NodeSystemInfo()
        info.machineID = machine.machineID
        info.systemUUID = machine.machineID
        info.bootID = machine.bootID
        info.kernelVersion = machine.kernelVersion
        info.osImage = machine.osImage
        info.containerRuntimeVersion = "skiff://\(KubeletVersion.skiff)"
        info.kubeletVersion = ServerVersion.gitVersion
        info.kubeProxyVersion = ServerVersion.gitVersion
        info.operatingSystem = "linux"
        info.architecture = Self.architecture
        status.nodeInfo = info
        return status
    }

    /// `key[=value]:Effect`, as `--register-with-taints` takes them.
    static func taint(_ text: String) throws(KubeletError) -> Taint {
        let parts = text.split(separator: ":", maxSplits: 1)
        let effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
        guard parts.count == 2, effects.contains(String(parts[1])) else {
            throw .invalidConfiguration("taint \(text) must be key[=value]:\(effects.joined(separator: "|"))")
        }
        let keyValue = parts[0].split(separator: "=", maxSplits: 1)
        var taint = Taint()
        taint.key = String(keyValue[0])
        taint.value = keyValue.count > 1 ? String(keyValue[1]) : nil
        taint.effect = String(parts[1])
        return taint
    }
}

/// Skiff's own version, reported as the container runtime's.
public enum KubeletVersion {
    public static let skiff = "0.1.0"
}
