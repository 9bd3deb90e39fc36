import SkiffAPI

/// Which pods a replica set deletes first when it has too many, as upstream's
/// ActivePodsWithRanks: the ones whose loss costs least go first.
public enum DeletionOrder {
    /// `pods` sorted so that the first are the ones to delete. `related` are the
    /// active pods of this replica set and its siblings (the other replica sets of
    /// its deployment); a pod that shares its node with more of them goes first,
    /// which spreads what remains.
    public static func sorted(_ pods: [Pod], related: [Pod]) -> [Pod] {
        var onNode: [String: Int] = [:]
        for pod in related where pod.isActive { onNode[pod.spec.nodeName ?? "", default: 0] += 1 }
        return pods.map { (pod: $0, rank: onNode[$0.spec.nodeName ?? ""] ?? 0) }
            .enumerated()
            .sorted { lhs, rhs in
                if let less = precedes(lhs.element, rhs.element) { return less }
                return lhs.offset < rhs.offset
            }
            .map(\.element.pod)
    }

    /// Whether `a` goes before `b`, nil when nothing tells them apart. In order:
    /// unscheduled before scheduled, Pending before Unknown before Running, not
    /// ready before ready, lower `controller.kubernetes.io/pod-deletion-cost`
    /// first, more pods of the set on its node first, ready for less time first,
    /// more container restarts first, newer first.
    static func precedes(_ a: (pod: Pod, rank: Int), _ b: (pod: Pod, rank: Int)) -> Bool? {
        if a.pod.isAssigned != b.pod.isAssigned { return !a.pod.isAssigned }
        let phases = (phaseOrdinal(a.pod), phaseOrdinal(b.pod))
        if phases.0 != phases.1 { return phases.0 < phases.1 }
        if a.pod.isReady != b.pod.isReady { return !a.pod.isReady }
        let costs = (deletionCost(a.pod), deletionCost(b.pod))
        if costs.0 != costs.1 { return costs.0 < costs.1 }
        if a.rank != b.rank { return a.rank > b.rank }
        if a.pod.isReady, b.pod.isReady {
            let since = (a.pod.readyCondition?.lastTransitionTime, b.pod.readyCondition?.lastTransitionTime)
            if let first = since.0, let second = since.1, first != second { return first > second }
        }
        let restarts = (maxRestarts(a.pod), maxRestarts(b.pod))
        if restarts.0 != restarts.1 { return restarts.0 > restarts.1 }
        let created = (a.pod.metadata.creationTimestamp, b.pod.metadata.creationTimestamp)
        if let first = created.0, let second = created.1, first != second { return first > second }
        return nil
    }

    private static func phaseOrdinal(_ pod: Pod) -> Int {
        switch pod.status.phase {
        case "Pending": 0
        case "Unknown": 1
        case "Running": 2
        default: 3
        }
    }

    /// The pod-deletion-cost annotation; an unreadable one counts as 0, as upstream.
    private static func deletionCost(_ pod: Pod) -> Int32 {
        pod.metadata.annotations?["controller.kubernetes.io/pod-deletion-cost"].flatMap { Int32($0) } ?? 0
    }

    private static func maxRestarts(_ pod: Pod) -> Int32 {
        (pod.status.containerStatuses ?? []).map(\.restartCount).max() ?? 0
    }
}
