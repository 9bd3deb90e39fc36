import SkiffAPI
import SkiffClient

extension DeploymentController {
    /// upstream syncDeployment: claim the replica sets, then, in order: only the
    /// status for a deployment being deleted; pause conditions; scaling only for a
    /// paused deployment or a changed replica count; else one step of the rollout.
    public func sync(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        guard var deployment = deployments.get(name, namespace: namespace) else { return }
        let selector: Labels.Selector
        do { selector = try Labels.Selector(deployment.spec.selector) } catch {
            logger.warning("invalid selector", metadata: ["deployment": "\(key)", "error": "\(error)"])
            return
        }
        if selector.isEmpty {
            record(deployment, .warning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")
            return
        }
        let claims = Claims<Deployment, ReplicaSet>(client: client, owner: deployment, selector: selector) { [deployment] in
            try await self.client.isCurrent(deployment)
        }
        let sets = try await claims.claim(replicaSets.list().filter { $0.metadata.namespace == namespace })

        if deployment.metadata.deletionTimestamp != nil {
            let (new, old) = try await replicaSets(for: &deployment, sets, create: false)
            return try await syncStatus(&deployment, all: old + [new].compactMap { $0 }, new: new)
        }
        try await updatePausedCondition(&deployment)
        if deployment.spec.paused == true {
            return try await syncScaling(&deployment, sets)
        }
        if try await isScalingEvent(&deployment, sets) {
            return try await syncScaling(&deployment, sets)
        }
        if deployment.spec.strategy.type == "Recreate" {
            try await rolloutRecreate(&deployment, sets)
        } else {
            try await rolloutRolling(&deployment, sets)
        }
    }

    /// checkPausedConditions: Progressing Unknown with DeploymentPaused while
    /// paused, DeploymentResumed once resumed, so the deadline does not run out
    /// while a rollout is held.
    private func updatePausedCondition(_ deployment: inout Deployment) async throws {
        guard hasProgressDeadline(deployment) else { return }
        let condition = DeploymentConditions.get(deployment.status, DeploymentConditions.progressing)
        if condition?.reason == DeploymentConditions.progressDeadlineExceeded { return }
        let pausedShown = condition?.reason == DeploymentConditions.paused
        let now = Time.now()
        if deployment.spec.paused == true && !pausedShown {
            DeploymentConditions.set(
                &deployment.status,
                .init(DeploymentConditions.progressing, "Unknown", DeploymentConditions.paused, "Deployment is paused", now: now))
        } else if deployment.spec.paused != true && pausedShown {
            DeploymentConditions.set(
                &deployment.status,
                .init(DeploymentConditions.progressing, "Unknown", DeploymentConditions.resumed, "Deployment is resumed", now: now))
        } else {
            return
        }
        deployment = try await client.updateStatus(deployment)
    }

    /// isScalingEvent: an active replica set was last sized for another replica count.
    private func isScalingEvent(_ deployment: inout Deployment, _ sets: [ReplicaSet]) async throws -> Bool {
        let (new, old) = try await replicaSets(for: &deployment, sets, create: false)
        let desired = deployment.spec.replicas ?? 1
        return (old + [new].compactMap { $0 }).contains { set in
            guard set.desiredReplicas > 0,
                let annotated = set.metadata.annotations?[DeploymentAnnotations.desiredReplicas].flatMap({ Int32($0) })
            else { return false }
            return annotated != desired
        }
    }

    /// upstream `sync`: scale (proportionally during a rollout), clean up old sets
    /// of a paused deployment, and write the status.
    private func syncScaling(_ deployment: inout Deployment, _ sets: [ReplicaSet]) async throws {
        var (new, old) = try await replicaSets(for: &deployment, sets, create: false)
        let targets = RolloutMath.scalingTargets(deployment, new: new, old: old)
        if let set = new, set.desiredReplicas > 0 || targets[set.metadata.name ?? ""] != nil {
            new = try await scale(set, to: targets[set.metadata.name ?? ""] ?? set.desiredReplicas, deployment)
        }
        for index in old.indices where old[index].desiredReplicas > 0 {
            old[index] = try await scale(old[index], to: targets[old[index].metadata.name ?? ""] ?? old[index].desiredReplicas, deployment)
        }
        if deployment.spec.paused == true { try await cleanUp(old, deployment) }
        try await syncStatus(&deployment, all: old + [new].compactMap { $0 }, new: new)
    }

    /// syncDeploymentStatus: counts and Available, written when they changed.
    func syncStatus(_ deployment: inout Deployment, all: [ReplicaSet], new: ReplicaSet?) async throws {
        let status = DeploymentStatusCalculation.calculate(deployment, all: all, new: new, now: .now())
        guard status != deployment.status else { return }
        deployment.status = status
        deployment = try await client.updateStatus(deployment)
    }

    /// syncRolloutStatus: counts, Available, Progressing and ReplicaFailure; and a
    /// look again when the progress deadline would pass.
    func syncRolloutStatus(_ deployment: inout Deployment, all: [ReplicaSet], new: ReplicaSet?) async throws {
        let now = Time.now()
        let status = DeploymentStatusCalculation.rollout(deployment, all: all, new: new, now: now)
        if status != deployment.status {
            deployment.status = status
            deployment = try await client.updateStatus(deployment)
        }
        requeueBeforeDeadline(deployment, now: now)
    }

    /// requeueStuckDeployment: a rollout that makes no progress must still be
    /// seen when its deadline passes, to report ProgressDeadlineExceeded.
    private func requeueBeforeDeadline(_ deployment: Deployment, now: Time) {
        guard hasProgressDeadline(deployment), let seconds = deployment.spec.progressDeadlineSeconds,
            let condition = DeploymentConditions.get(deployment.status, DeploymentConditions.progressing),
            condition.reason == DeploymentConditions.replicaSetUpdated || condition.reason == DeploymentConditions.newReplicaSetCreated
                || condition.reason == DeploymentConditions.foundNewReplicaSet,
            let updated = condition.lastUpdateTime
        else { return }
        let deadline = updated.nanosecondsSinceEpoch + Int64(seconds) * 1_000_000_000
        let wait = max(0, deadline - now.nanosecondsSinceEpoch)
        queue.add(
            ObjectKey.make(namespace: deployment.metadata.namespace, name: deployment.metadata.name),
            after: .nanoseconds(wait) + .seconds(1))
    }

    func hasProgressDeadline(_ deployment: Deployment) -> Bool {
        deployment.spec.progressDeadlineSeconds.map { $0 != Int32.max } ?? false
    }
}
