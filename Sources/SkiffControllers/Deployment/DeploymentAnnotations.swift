import SkiffAPI

/// The annotations a deployment and its replica sets carry, with upstream's names.
public enum DeploymentAnnotations {
    /// The rollout revision of a replica set; on the deployment, its new set's.
    public static let revision = "deployment.kubernetes.io/revision"
    public static let revisionHistory = "deployment.kubernetes.io/revision-history"
    /// The deployment's replicas when the set was last scaled.
    public static let desiredReplicas = "deployment.kubernetes.io/desired-replicas"
    /// The deployment's replicas plus maxSurge when the set was last scaled.
    public static let maxReplicas = "deployment.kubernetes.io/max-replicas"
    public static let changeCause = "kubernetes.io/change-cause"
    public static let templateHashLabel = "pod-template-hash"

    /// Deployment annotations that are not copied to its replica sets.
    static let notCopied: Set<String> = [
        "kubectl.kubernetes.io/last-applied-configuration", revision, revisionHistory, desiredReplicas, maxReplicas,
        "deprecated.deployment.rollback.to",
    ]

    /// The revision as a number; a missing or unreadable one is 0.
    static func revision(of set: ReplicaSet) -> Int64 {
        set.metadata.annotations?[revision].flatMap { Int64($0) } ?? 0
    }

    /// SetNewReplicaSetAnnotations: copies the deployment's annotations and raises
    /// the set's revision to `newRevision`; a set being made also gets the replica
    /// annotations. Returns whether anything changed.
    static func setNewReplicaSetAnnotations(
        _ deployment: Deployment, _ set: inout ReplicaSet, newRevision: Int64, exists: Bool
    ) -> Bool {
        var annotations = set.metadata.annotations ?? [:]
        var changed = false
        for (key, value) in deployment.metadata.annotations ?? [:] where !notCopied.contains(key) {
            if annotations[key] != value {
                annotations[key] = value
                changed = true
            }
        }
        let old = annotations[revision].flatMap { Int64($0) } ?? 0
        if annotations[revision] == nil || old < newRevision {
            annotations[revision] = String(newRevision)
            changed = true
        }
        set.metadata.annotations = annotations
        if !exists {
            _ = setReplicasAnnotations(&set, deployment)
            changed = true
        }
        return changed
    }

    /// SetReplicasAnnotations: desired and max replicas as the deployment is now.
    static func setReplicasAnnotations(_ set: inout ReplicaSet, _ deployment: Deployment) -> Bool {
        let desired = deployment.spec.replicas ?? 1
        let values = [desiredReplicas: String(desired), maxReplicas: String(desired + RolloutMath.maxSurge(deployment))]
        var annotations = set.metadata.annotations ?? [:]
        guard values.contains(where: { annotations[$0.key] != $0.value }) else { return false }
        annotations.merge(values) { $1 }
        set.metadata.annotations = annotations
        return true
    }
}
