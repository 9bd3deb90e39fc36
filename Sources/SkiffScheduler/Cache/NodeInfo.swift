import SkiffAPI

/// A node and what the scheduler has placed on it: the pods (bound or assumed),
/// their summed requests, host ports in use, and the node's facts in the form
/// filters read them, so filtering a node costs integer compares, not parsing.
/// A class, so that passing nodes through filters and scores copies a
/// reference, not every field; it is only touched under the scheduler's lock.
public final class NodeInfo {
    public private(set) var node: Node
    public let name: String
    public private(set) var labels: [String: String] = [:]
    public private(set) var allocatable = Resources()
    /// Summed requests of the pods here; `pods` counts them.
    public private(set) var requested = Resources()
    public private(set) var nonZeroMilliCPU: Int64 = 0
    public private(set) var nonZeroMemory: Int64 = 0
    public private(set) var pods: [String: PodInfo] = [:]
    public private(set) var usedPorts: [HostPort] = []
    /// Pods here with any (anti-)affinity term, and with a required anti-affinity term.
    public private(set) var podsWithAffinity = 0
    public private(set) var podsWithRequiredAntiAffinity = 0
    /// Image name → size in bytes, from `status.images`.
    public private(set) var imageSizes: [String: Int64] = [:]

    public init(_ node: Node) {
        self.node = node
        name = node.metadata.name ?? ""
        setNode(node)
    }

    public func setNode(_ node: Node) {
        self.node = node
        labels = node.metadata.labels ?? [:]
        allocatable = Resources(node.status.allocatable)
        var sizes: [String: Int64] = [:]
        for image in node.status.images ?? [] {
            for name in image.names { sizes[name] = image.sizeBytes ?? 0 }
        }
        imageSizes = sizes
    }

    public var taints: [Taint] { node.spec.taints ?? [] }

    public func add(_ pod: PodInfo) {
        if pods[pod.key] != nil { remove(pod.key) }
        pods[pod.key] = pod
        account(pod, sign: 1)
        usedPorts += pod.hostPorts
    }

    public func remove(_ key: String) {
        guard let pod = pods.removeValue(forKey: key) else { return }
        account(pod, sign: -1)
        for port in pod.hostPorts {
            if let index = usedPorts.firstIndex(of: port) { usedPorts.remove(at: index) }
        }
    }

    private func account(_ pod: PodInfo, sign: Int64) {
        requested.add(pod.requests.resources, times: sign)
        requested.pods += sign
        nonZeroMilliCPU += pod.requests.nonZeroMilliCPU * sign
        nonZeroMemory += pod.requests.nonZeroMemory * sign
        if pod.hasAffinityTerms { podsWithAffinity += Int(sign) }
        if !pod.requiredAntiAffinity.isEmpty { podsWithRequiredAntiAffinity += Int(sign) }
    }
}
