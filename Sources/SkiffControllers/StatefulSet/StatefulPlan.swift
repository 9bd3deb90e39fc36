import SkiffAPI

/// What one sync of a StatefulSet does (upstream's updateStatefulSet, without
/// I/O): which ordinals to create and which pods to delete, honouring the pod
/// management policy, then the rolling update from the highest ordinal.
struct StatefulPlan {
    enum Revision { case current, update }

    private(set) var creations: [(ordinal: Int, revision: Revision)] = []
    private(set) var deletions: [Pod] = []

    /// `pods` are the set's live and terminating pods; `current` and `update`
    /// name the revisions (equal when no rollout is under way).
    init(set: StatefulSet, pods: [Pod], current: String, update: String) {
        let replicas = Int(set.spec.replicas ?? 1)
        let start = Int(set.spec.ordinals?.start ?? 0)
        let parallel = set.spec.podManagementPolicy == "Parallel"
        let rolling = set.spec.updateStrategy.type != "OnDelete"
        let partition = Int(set.spec.updateStrategy.rollingUpdate?.partition ?? 0)
        var byOrdinal: [Int: Pod] = [:]
        var condemned: [(Int, Pod)] = []
        for pod in pods {
            guard let ordinal = StatefulPod.ordinal(of: pod, in: set) else { continue }
            if ordinal >= start && ordinal < start + replicas {
                byOrdinal[ordinal] = pod
            } else {
                condemned.append((ordinal, pod))
            }
        }

        // Replicas in order: make the missing, replace the failed; OrderedReady
        // stops at the first pod that is not yet Running and Ready.
        var allHealthy = true
        for ordinal in start..<(start + replicas) {
            guard let pod = byOrdinal[ordinal] else {
                // Below the partition a new pod keeps the current revision.
                let revision: Revision = rolling && ordinal - start < partition ? .current : .update
                creations.append((ordinal, revision))
                allHealthy = false
                if parallel { continue } else { break }
            }
            if pod.status.phase == "Failed" || pod.status.phase == "Succeeded", pod.metadata.deletionTimestamp == nil {
                deletions.append(pod)  // made again under its name once it is gone
            }
            if !StatefulPod.isHealthy(pod) {
                allHealthy = false
                if !parallel { break }
            }
        }

        // Scale down from the highest ordinal; OrderedReady one at a time and only when the rest are healthy.
        let terminating = condemned.contains { $0.1.metadata.deletionTimestamp != nil }
        let highestFirst = condemned.filter { $0.1.metadata.deletionTimestamp == nil }.sorted { $0.0 > $1.0 }.map(\.1)
        if parallel {
            deletions += highestFirst
        } else if allHealthy && !terminating, let highest = highestFirst.first {
            deletions.append(highest)
        }

        // RollingUpdate: once all replicas are healthy, the highest old pod at or above the partition goes.
        guard rolling, allHealthy, condemned.isEmpty else { return }
        for ordinal in stride(from: start + replicas - 1, through: start + partition, by: -1) {
            guard let pod = byOrdinal[ordinal], StatefulPod.revision(of: pod) != update else { continue }
            deletions.append(pod)
            break
        }
    }
}
