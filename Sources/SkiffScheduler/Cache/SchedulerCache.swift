import SkiffAPI

/// The scheduler's picture of the cluster: every node with the pods on it, bound
/// or assumed. A pod is *assumed* from the moment the scheduler picks its node
/// (so the next pod already sees its requests and a burst cannot overcommit a
/// node), *confirmed* when the watch shows it bound, and *forgotten* if binding
/// fails. Filters and scores read it during a cycle; the scheduler holds it
/// under one lock, so it is a plain class.
public final class SchedulerCache {
    /// Nodes in a stable order, so sampling can rotate through them.
    public private(set) var nodes: [NodeInfo] = []
    private var index: [String: Int] = [:]
    /// Pod key → node name, for every pod counted on a node.
    private var podNodes: [String: String] = [:]
    /// Pods placed by this scheduler whose binding the watch has not yet shown.
    public private(set) var assumed: Set<String> = []
    /// Bound pods whose node is not (yet) known, kept to add when it appears.
    private var orphans: [String: [String: PodInfo]] = [:]
    /// Counted pods with any (anti-)affinity term, and with a required
    /// anti-affinity term: when none, InterPodAffinity skips its per-node work.
    public private(set) var podsWithAffinity = 0
    public private(set) var podsWithRequiredAntiAffinity = 0
    /// How many nodes report each image, for ImageLocality's spread.
    public private(set) var imageNodeCounts: [String: Int] = [:]

    public init() {}

    public var nodeCount: Int { nodes.count }

    public func node(named name: String) -> NodeInfo? {
        index[name].map { nodes[$0] }
    }

    // MARK: nodes

    public func addOrUpdate(node: Node) {
        let name = node.metadata.name ?? ""
        if let position = index[name] {
            countImages(of: nodes[position], by: -1)
            nodes[position].setNode(node)
            countImages(of: nodes[position], by: 1)
            return
        }
        let info = NodeInfo(node)
        for pod in (orphans.removeValue(forKey: name) ?? [:]).values { info.add(pod) }
        index[name] = nodes.count
        nodes.append(info)
        countImages(of: info, by: 1)
    }

    public func remove(node name: String) {
        guard let position = index.removeValue(forKey: name) else { return }
        let removed = nodes[position]
        countImages(of: removed, by: -1)
        if !removed.pods.isEmpty { orphans[name] = removed.pods }
        let last = nodes.count - 1
        if position != last {
            nodes.swapAt(position, last)
            index[nodes[position].name] = position
        }
        nodes.removeLast()
    }

    private func countImages(of info: NodeInfo, by delta: Int) {
        for name in info.imageSizes.keys {
            let count = imageNodeCounts[name, default: 0] + delta
            imageNodeCounts[name] = count > 0 ? count : nil
        }
    }

    // MARK: pods

    /// Counts a pod the scheduler has just placed on `node`.
    public func assume(_ pod: PodInfo, on node: String) {
        place(pod, on: node)
        assumed.insert(pod.key)
    }

    /// Undoes ``assume(_:on:)`` after a failed binding.
    public func forget(_ key: String) {
        guard assumed.remove(key) != nil else { return }
        unplace(key)
    }

    public func isAssumed(_ key: String) -> Bool { assumed.contains(key) }

    /// A pod the watch shows bound to a node (confirming an assumed one).
    public func addOrUpdate(boundPod pod: PodInfo) {
        guard let node = pod.pod.spec.nodeName, !node.isEmpty else { return }
        assumed.remove(pod.key)
        place(pod, on: node)
    }

    /// A bound pod deleted, or finished (its resources are free again).
    public func remove(pod key: String) {
        assumed.remove(key)
        unplace(key)
    }

    public func nodeName(ofPod key: String) -> String? { podNodes[key] }

    private func place(_ pod: PodInfo, on node: String) {
        if let previous = podNodes[pod.key], previous != node { unplace(pod.key) }
        if podNodes[pod.key] == nil { count(pod, by: 1) }
        podNodes[pod.key] = node
        if let position = index[node] {
            nodes[position].add(pod)
        } else {
            orphans[node, default: [:]][pod.key] = pod
        }
    }

    private func unplace(_ key: String) {
        guard let node = podNodes.removeValue(forKey: key) else { return }
        if let position = index[node] {
            if let pod = nodes[position].pods[key] { count(pod, by: -1) }
            nodes[position].remove(key)
        } else {
            if let pod = orphans[node]?[key] { count(pod, by: -1) }
            orphans[node]?[key] = nil
        }
    }

    private func count(_ pod: PodInfo, by delta: Int) {
        if pod.hasAffinityTerms { podsWithAffinity += delta }
        if !pod.requiredAntiAffinity.isEmpty { podsWithRequiredAntiAffinity += delta }
    }
}
