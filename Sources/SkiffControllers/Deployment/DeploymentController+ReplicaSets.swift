import SkiffAPI
import SkiffClient

extension DeploymentController {
    /// getAllReplicaSetsAndSyncRevision: the new replica set (the one whose
    /// template is the deployment's, made when `create` and missing) with its
    /// revision raised above every old one, the old sets, and the deployment's
    /// revision annotation set to the new set's.
    func replicaSets(
        for deployment: inout Deployment, _ sets: [ReplicaSet], create: Bool
    ) async throws -> (new: ReplicaSet?, old: [ReplicaSet]) {
        let ordered = RolloutMath.byCreation(sets)
        let existing = ordered.first { PodTemplateHash.equalIgnoringHash($0.spec.template, deployment.spec.template) }
        let old = ordered.filter { $0.metadata.uid != existing?.metadata.uid }
        let newRevision = (old.map { DeploymentAnnotations.revision(of: $0) }.max() ?? 0) + 1
        if var set = existing {
            var changed = DeploymentAnnotations.setNewReplicaSetAnnotations(deployment, &set, newRevision: newRevision, exists: true)
            if (set.spec.minReadySeconds ?? 0) != (deployment.spec.minReadySeconds ?? 0) {
                set.spec.minReadySeconds = deployment.spec.minReadySeconds
                changed = true
            }
            if changed { set = try await client.update(set) }
            var needsUpdate = setRevision(&deployment, set.metadata.annotations?[DeploymentAnnotations.revision] ?? "")
            if hasProgressDeadline(deployment), DeploymentConditions.get(deployment.status, DeploymentConditions.progressing) == nil {
                DeploymentConditions.set(
                    &deployment.status,
                    .init(DeploymentConditions.progressing, "True", DeploymentConditions.foundNewReplicaSet,
                          "Found new replica set \"\(set.metadata.name ?? "")\"", now: .now()))
                needsUpdate = true
            }
            if needsUpdate { deployment = try await client.updateStatus(deployment) }
            return (set, old)
        }
        guard create else { return (nil, old) }
        return (try await createReplicaSet(for: &deployment, old: old, revision: newRevision), old)
    }

    /// Makes the replica set of the deployment's current template, sized as the
    /// strategy allows. A name taken by a set that is not this template's
    /// (a hash collision) bumps status.collisionCount, which changes the next hash.
    private func createReplicaSet(for deployment: inout Deployment, old: [ReplicaSet], revision: Int64) async throws -> ReplicaSet {
        let hashLabel = DeploymentAnnotations.templateHashLabel
        var template = deployment.spec.template
        let hash = PodTemplateHash.compute(template, collisionCount: deployment.status.collisionCount)
        template.metadata.labels = (template.metadata.labels ?? [:]).merging([hashLabel: hash]) { $1 }
        var selector = deployment.spec.selector ?? LabelSelector()
        selector.matchLabels = (selector.matchLabels ?? [:]).merging([hashLabel: hash]) { $1 }

        var set = ReplicaSet()
        set.metadata.name = (deployment.metadata.name ?? "") + "-" + hash
        set.metadata.namespace = deployment.metadata.namespace
        set.metadata.ownerReferences = [.controller(deployment)]
        set.metadata.labels = template.metadata.labels
        set.spec.replicas = 0
        set.spec.minReadySeconds = deployment.spec.minReadySeconds
        set.spec.selector = selector
        set.spec.template = template
        let replicas = RolloutMath.newReplicaSetReplicas(deployment, all: old + [set], new: set)
        set.spec.replicas = replicas
        _ = DeploymentAnnotations.setNewReplicaSetAnnotations(deployment, &set, newRevision: revision, exists: false)

        let name = set.metadata.name ?? ""
        var created: ReplicaSet
        var alreadyExisted = false
        do {
            created = try await client.create(set)
        } catch {
            guard error.isAlreadyExists else {
                let message = "Failed to create new replica set \"\(name)\": \(error.message)"
                if hasProgressDeadline(deployment) {
                    DeploymentConditions.set(
                        &deployment.status,
                        .init(DeploymentConditions.progressing, "False", DeploymentConditions.failedReplicaSetCreate, message, now: .now()))
                    deployment = try await client.updateStatus(deployment)
                }
                record(deployment, .warning, "FailedCreate", message)
                throw error
            }
            let found = try await client.get(ReplicaSet.self, name, namespace: set.metadata.namespace)
            guard found.metadata.controllerReference?.uid == deployment.metadata.uid,
                PodTemplateHash.equalIgnoringHash(found.spec.template, deployment.spec.template)
            else {
                deployment.status.collisionCount = (deployment.status.collisionCount ?? 0) + 1
                deployment = try await client.updateStatus(deployment)
                throw error
            }
            created = found
            alreadyExisted = true
        }
        if !alreadyExisted && replicas > 0 {
            record(deployment, .normal, "ScalingReplicaSet", "Scaled up replica set \(name) from 0 to \(replicas)")
        }
        var needsUpdate = setRevision(&deployment, String(revision))
        if !alreadyExisted && hasProgressDeadline(deployment) {
            DeploymentConditions.set(
                &deployment.status,
                .init(DeploymentConditions.progressing, "True", DeploymentConditions.newReplicaSetCreated,
                      "Created new replica set \"\(name)\"", now: .now()))
            needsUpdate = true
        }
        if needsUpdate { deployment = try await client.updateStatus(deployment) }
        return created
    }

    /// SetDeploymentRevision; returns whether it changed.
    private func setRevision(_ deployment: inout Deployment, _ revision: String) -> Bool {
        guard deployment.metadata.annotations?[DeploymentAnnotations.revision] != revision else { return false }
        deployment.metadata.annotations = (deployment.metadata.annotations ?? [:]).merging([DeploymentAnnotations.revision: revision]) { $1 }
        return true
    }

    /// scaleReplicaSet: a new size and up-to-date replica annotations, with a
    /// ScalingReplicaSet event when the size changed.
    func scale(_ set: ReplicaSet, to size: Int32, _ deployment: Deployment) async throws -> ReplicaSet {
        var updated = set
        let annotationsChanged = DeploymentAnnotations.setReplicasAnnotations(&updated, deployment)
        let sizeChanged = set.desiredReplicas != size
        guard sizeChanged || annotationsChanged else { return set }
        updated.spec.replicas = size
        updated = try await client.update(updated)
        if sizeChanged {
            let direction = size > set.desiredReplicas ? "up" : "down"
            record(
                deployment, .normal, "ScalingReplicaSet",
                "Scaled \(direction) replica set \(set.metadata.name ?? "") from \(set.desiredReplicas) to \(size)")
        }
        return updated
    }

    /// cleanupDeployment: delete the oldest old sets beyond revisionHistoryLimit
    /// that have no pods left and whose status is current.
    func cleanUp(_ old: [ReplicaSet], _ deployment: Deployment) async throws {
        guard let limit = deployment.spec.revisionHistoryLimit else { return }
        let cleanable = old.filter { $0.metadata.deletionTimestamp == nil }
        let excess = cleanable.count - Int(limit)
        guard excess > 0 else { return }
        let byRevision = RolloutMath.byCreation(cleanable).enumerated().sorted { a, b in
            let (first, second) = (DeploymentAnnotations.revision(of: a.element), DeploymentAnnotations.revision(of: b.element))
            return first != second ? first < second : a.offset < b.offset
        }.map(\.element)
        for set in byRevision.prefix(excess) {
            guard set.status.replicas == 0, set.desiredReplicas == 0,
                (set.metadata.generation ?? 0) <= (set.status.observedGeneration ?? 0)
            else { continue }
            do {
                try await client.delete(ReplicaSet.self, set.metadata.name ?? "", namespace: set.metadata.namespace)
            } catch {
                // Already gone is what was wanted.
                if !error.isNotFound { throw error }
            }
        }
    }
}
