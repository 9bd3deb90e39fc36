import SkiffAPI

/// The status a deployment should show for its replica sets (upstream
/// calculateStatus and the Progressing logic of syncRolloutStatus).
public enum DeploymentStatusCalculation {
    /// Counts over all sets, updatedReplicas from the new one, and Available True
    /// once at least `replicas − maxUnavailable` pods are available.
    public static func calculate(_ deployment: Deployment, all: [ReplicaSet], new: ReplicaSet?, now: Time) -> DeploymentStatus {
        let available = RolloutMath.availableReplicas(all)
        let total = RolloutMath.actualReplicas(all)
        var status = DeploymentStatus()
        status.observedGeneration = deployment.metadata.generation
        status.replicas = total
        status.updatedReplicas = new?.status.replicas ?? 0
        status.readyReplicas = RolloutMath.readyReplicas(all)
        status.availableReplicas = available
        status.unavailableReplicas = max(0, total - available)
        status.collisionCount = deployment.status.collisionCount
        status.conditions = deployment.status.conditions
        let desired = deployment.spec.replicas ?? 1
        if available >= desired - RolloutMath.maxUnavailable(deployment) {
            DeploymentConditions.set(
                &status,
                .init(DeploymentConditions.available, "True", DeploymentConditions.minimumReplicasAvailable,
                      "Deployment has minimum availability.", now: now))
        } else {
            DeploymentConditions.set(
                &status,
                .init(DeploymentConditions.available, "False", DeploymentConditions.minimumReplicasUnavailable,
                      "Deployment does not have minimum availability.", now: now))
        }
        return status
    }

    /// syncRolloutStatus's status: ``calculate`` plus Progressing —
    /// NewReplicaSetAvailable once complete, ReplicaSetUpdated while pods move,
    /// ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds —
    /// and ReplicaFailure copied from the replica sets.
    public static func rollout(_ deployment: Deployment, all: [ReplicaSet], new: ReplicaSet?, now: Time) -> DeploymentStatus {
        var status = calculate(deployment, all: all, new: new, now: now)
        let hasDeadline = deployment.spec.progressDeadlineSeconds.map { $0 != Int32.max } ?? false
        if !hasDeadline { DeploymentConditions.remove(&status, DeploymentConditions.progressing) }
        let current = DeploymentConditions.get(status, DeploymentConditions.progressing)
        let complete = status.replicas == status.updatedReplicas
            && current?.reason == DeploymentConditions.newReplicaSetAvailable
        if hasDeadline && !complete {
            let name = new?.metadata.name ?? ""
            if isComplete(deployment, status) {
                DeploymentConditions.set(
                    &status,
                    .init(DeploymentConditions.progressing, "True", DeploymentConditions.newReplicaSetAvailable,
                          "ReplicaSet \"\(name)\" has successfully progressed.", now: now))
            } else if isProgressing(deployment, status) {
                var condition = DeploymentConditions.make(
                    DeploymentConditions.progressing, "True", DeploymentConditions.replicaSetUpdated,
                    "ReplicaSet \"\(name)\" is progressing.", now: now)
                // Progress renews lastUpdateTime (the deadline counts from it) even when the reason stays.
                if let current, current.status == "True" { condition.lastTransitionTime = current.lastTransitionTime }
                DeploymentConditions.remove(&status, DeploymentConditions.progressing)
                DeploymentConditions.set(&status, condition)
            } else if timedOut(deployment, status, now: now) {
                DeploymentConditions.set(
                    &status,
                    .init(DeploymentConditions.progressing, "False", DeploymentConditions.progressDeadlineExceeded,
                          "ReplicaSet \"\(name)\" has timed out progressing.", now: now))
            }
        }
        let failures = all.compactMap { set in
            set.status.conditions?.first { $0.type == "ReplicaFailure" && $0.status == "True" }
        }
        if let failure = failures.first {
            DeploymentConditions.set(
                &status,
                .init(DeploymentConditions.replicaFailure, failure.status, failure.reason ?? "", failure.message ?? "", now: now))
        } else {
            DeploymentConditions.remove(&status, DeploymentConditions.replicaFailure)
        }
        return status
    }

    /// DeploymentComplete: every replica updated and available, none old, this generation seen.
    public static func isComplete(_ deployment: Deployment, _ status: DeploymentStatus) -> Bool {
        let desired = deployment.spec.replicas ?? 1
        return status.updatedReplicas == desired && status.replicas == desired && status.availableReplicas == desired
            && (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0)
    }

    /// DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last written.
    static func isProgressing(_ deployment: Deployment, _ status: DeploymentStatus) -> Bool {
        let old = deployment.status
        let oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0)
        let newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0)
        return (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
            || (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0)
            || (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
    }

    /// DeploymentTimedOut: the Progressing condition was last updated longer than
    /// progressDeadlineSeconds ago.
    static func timedOut(_ deployment: Deployment, _ status: DeploymentStatus, now: Time) -> Bool {
        guard let condition = DeploymentConditions.get(status, DeploymentConditions.progressing),
            let deadline = deployment.spec.progressDeadlineSeconds
        else { return false }
        if condition.reason == DeploymentConditions.newReplicaSetAvailable { return false }
        if condition.reason == DeploymentConditions.progressDeadlineExceeded { return true }
        guard let from = condition.lastUpdateTime else { return false }
        return from.nanosecondsSinceEpoch + Int64(deadline) * 1_000_000_000 < now.nanosecondsSinceEpoch
    }
}

extension DeploymentCondition {
    init(_ type: String, _ status: String, _ reason: String, _ message: String, now: Time) {
        self = DeploymentConditions.make(type, status, reason, message, now: now)
    }
}
