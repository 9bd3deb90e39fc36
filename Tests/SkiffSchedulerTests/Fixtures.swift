import SkiffAPI

@testable import SkiffScheduler

/// Nodes and pods for plugin tests, built as the API would hold them.
enum Fixtures {
    static func node(
        _ name: String, cpu: String = "4", memory: String = "8Gi", pods: String = "110", labels: [String: String] = [:],
        taints: [Taint] = [], unschedulable: Bool = false, images: [(String, Int64)] = []
    ) -> Node {
        var node = Node()
        node.metadata.name = name
        node.metadata.labels = labels.merging(["kubernetes.io/hostname": name]) { a, _ in a }
        node.spec.taints = taints.isEmpty ? nil : taints
        node.spec.unschedulable = unschedulable ? true : nil
        node.status.allocatable = ["cpu": Quantity(stringLiteral: cpu), "memory": Quantity(stringLiteral: memory), "pods": Quantity(stringLiteral: pods)]
        node.status.capacity = node.status.allocatable
        if !images.isEmpty {
            node.status.images = images.map { name, size in
                var image = ContainerImage()
                image.names = [name]
                image.sizeBytes = size
                return image
            }
        }
        return node
    }

    static func pod(
        _ name: String, namespace: String = "default", cpu: String? = nil, memory: String? = nil,
        labels: [String: String] = [:], image: String = "busybox", hostPort: Int32? = nil, node: String? = nil
    ) -> Pod {
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = namespace
        pod.metadata.labels = labels.isEmpty ? nil : labels
        var container = Container()
        container.name = "c"
        container.image = image
        var requests: ResourceList = [:]
        if let cpu { requests["cpu"] = Quantity(stringLiteral: cpu) }
        if let memory { requests["memory"] = Quantity(stringLiteral: memory) }
        if !requests.isEmpty { container.resources.requests = requests }
        if let hostPort {
            var port = ContainerPort(containerPort: 80)
            port.hostPort = hostPort
            container.ports = [port]
        }
        pod.spec.containers = [container]
        pod.spec.nodeName = node
        return pod
    }

    /// A cache with these nodes and bound pods.
    static func cache(_ nodes: [Node], pods: [Pod] = []) -> SchedulerCache {
        let cache = SchedulerCache()
        for node in nodes { cache.addOrUpdate(node: node) }
        for pod in pods { cache.addOrUpdate(boundPod: PodInfo(pod)) }
        return cache
    }

    /// What a filter plugin says about each node: nil when the plugin skipped the pod.
    static func filter(
        _ plugin: some FilterPlugin, _ pod: Pod, _ cache: SchedulerCache
    ) -> [String: [String]]? {
        switch plugin.prepareFilter(for: PodInfo(pod), in: cache) {
        case .skip: return nil
        case .rejectAll(let message): return Dictionary(uniqueKeysWithValues: cache.nodes.map { ($0.name, [message]) })
        case .filter(let filter): return Dictionary(uniqueKeysWithValues: cache.nodes.map { ($0.name, filter($0)) })
        }
    }

    /// Normalised scores per node: nil when the plugin had nothing to say.
    static func scores(_ plugin: some ScorePlugin, _ pod: Pod, _ cache: SchedulerCache) -> [String: Int64]? {
        let feasible = cache.nodes
        guard let scorer = plugin.prepareScore(for: PodInfo(pod), feasible: feasible, in: cache) else { return nil }
        var values = feasible.map(scorer.score)
        scorer.normalize(&values)
        return Dictionary(uniqueKeysWithValues: zip(feasible.map(\.name), values))
    }

    static func term(_ labels: [String: String], topologyKey: String = "kubernetes.io/hostname") -> PodAffinityTerm {
        var term = PodAffinityTerm()
        term.labelSelector = LabelSelector(matchLabels: labels)
        term.topologyKey = topologyKey
        return term
    }

    static func requirement(_ key: String, _ op: String, _ values: [String]? = nil) -> NodeSelectorRequirement {
        var requirement = NodeSelectorRequirement()
        requirement.key = key
        requirement.operator = op
        requirement.values = values
        return requirement
    }
}

extension Toleration {
    init(key: String?, operator op: String? = nil, value: String? = nil, effect: String? = nil) {
        self.init()
        self.key = key
        self.operator = op
        self.value = value
        self.effect = effect
    }
}
