import SkiffAPI

/// What one sync of a DaemonSet should do, from its nodes and pods (upstream's
/// podsShouldBeOnNode and rollingUpdate, without I/O): the nodes that need a
/// pod, the pods to delete, and the counts the status reports.
struct DaemonPlan {
    private(set) var creations: [String] = []
    private(set) var deletions: [Pod] = []
    private(set) var status = DaemonSetStatus()

    /// `hash` names the current template's revision; pods labelled otherwise are old.
    init(set: DaemonSet, nodes: [Node], pods: [Pod], hash: String, now: Time) {
        let template = DaemonPod.template(of: set, hash: hash)
        var probe = Pod()
        probe.spec = template.spec
        let minReady = set.spec.minReadySeconds ?? 0
        var byNode: [String: [Pod]] = [:]
        for pod in pods where pod.metadata.deletionTimestamp == nil {
            guard let node = DaemonPod.targetNode(of: pod) else {
                deletions.append(pod)
                continue
            }
            byNode[node, default: []].append(pod)
        }
        let known = Set(nodes.compactMap(\.metadata.name))
        // A pod whose node is gone goes with it.
        for (node, pods) in byNode where !known.contains(node) { deletions += pods }

        var current: [Pod] = []  // the one pod kept on each node that wants it
        var desired: Int32 = 0
        for node in nodes {
            let name = node.metadata.name ?? ""
            let eligibility = DaemonNodeEligibility(node: node, pod: probe)
            let onNode = byNode[name] ?? []
            let failed = onNode.filter { $0.status.phase == "Failed" }
            deletions += failed  // recreated below
            let running = onNode.filter { $0.status.phase != "Failed" && $0.status.phase != "Succeeded" }
            if eligibility.shouldRun { desired += 1 }
            if !eligibility.shouldContinueRunning {
                deletions += running
                continue
            }
            if running.isEmpty {
                if eligibility.shouldRun { creations.append(name) }
                continue
            }
            if !eligibility.shouldRun { status.numberMisscheduled += 1 }
            // More than one pod on a node: keep the oldest, as upstream.
            let sorted = running.sorted { ($0.metadata.creationTimestamp ?? Time(nanosecondsSinceEpoch: 0)) < ($1.metadata.creationTimestamp ?? Time(nanosecondsSinceEpoch: 0)) }
            deletions += sorted.dropFirst()
            if eligibility.shouldRun { current.append(sorted[0]) }
        }

        status.desiredNumberScheduled = desired
        status.currentNumberScheduled = Int32(current.count)
        status.numberReady = Int32(current.filter(\.isReady).count)
        let available = current.filter { $0.isAvailable(minReadySeconds: minReady, now: now) }
        status.numberAvailable = Int32(available.count)
        status.numberUnavailable = desired - Int32(available.count)
        status.updatedNumberScheduled = Int32(current.filter { Self.hash(of: $0) == hash }.count)
        status.observedGeneration = set.metadata.generation

        if set.spec.updateStrategy.type != "OnDelete" {
            rollingUpdate(set: set, current: current, hash: hash, available: Set(available.compactMap(\.metadata.uid)))
        }
    }

    /// Deletes old pods while at most maxUnavailable (rounded up, at least one)
    /// of the desired nodes are without an available pod; an old pod that is
    /// not available costs nothing to replace and always goes. The next sync
    /// creates the new pods on the nodes freed.
    private mutating func rollingUpdate(set: DaemonSet, current: [Pod], hash: String, available: Set<String>) {
        let desired = status.desiredNumberScheduled
        let limit = max(1, RolloutMath.scaledValue(set.spec.updateStrategy.rollingUpdate?.maxUnavailable ?? .int(1), total: desired, roundUp: true))
        var unavailable = status.numberUnavailable ?? 0
        let old = current.filter { Self.hash(of: $0) != hash }
        for pod in old where !available.contains(pod.metadata.uid ?? "") { deletions.append(pod) }
        for pod in old where available.contains(pod.metadata.uid ?? "") && unavailable < limit {
            deletions.append(pod)
            unavailable += 1
        }
    }

    static func hash(of pod: Pod) -> String? {
        pod.metadata.labels?[ControllerRevisions<DaemonSet>.hashLabel]
    }
}
