import SkiffAPI
import SkiffClient

extension DeploymentController {
    /// rolloutRolling: one step — grow the new set as far as maxSurge allows, else
    /// shrink old sets as far as maxUnavailable allows, else (complete) clean up;
    /// then the status. Each step waits for the replica sets' status to move.
    func rolloutRolling(_ deployment: inout Deployment, _ sets: [ReplicaSet]) async throws {
        let (created, initialOld) = try await replicaSets(for: &deployment, sets, create: true)
        guard var new = created else { return }
        var old = initialOld
        if let target = RolloutMath.newReplicaSetTarget(deployment, all: old + [new], new: new) {
            new = try await scale(new, to: target, deployment)
            return try await syncRolloutStatus(&deployment, all: old + [new], new: new)
        }
        let targets = RolloutMath.oldReplicaSetTargets(deployment, old: old, new: new)
        if !targets.isEmpty {
            for index in old.indices {
                guard let size = targets[old[index].metadata.name ?? ""] else { continue }
                old[index] = try await scale(old[index], to: size, deployment)
            }
            return try await syncRolloutStatus(&deployment, all: old + [new], new: new)
        }
        if DeploymentStatusCalculation.isComplete(deployment, deployment.status) { try await cleanUp(old, deployment) }
        try await syncRolloutStatus(&deployment, all: old + [new], new: new)
    }

    /// rolloutRecreate: scale every old set to 0, wait until none of their pods
    /// runs, then make (or grow) the new set to all replicas.
    func rolloutRecreate(_ deployment: inout Deployment, _ sets: [ReplicaSet]) async throws {
        var (new, old) = try await replicaSets(for: &deployment, sets, create: false)
        if old.contains(where: { $0.desiredReplicas > 0 }) {
            for index in old.indices where old[index].desiredReplicas > 0 {
                old[index] = try await scale(old[index], to: 0, deployment)
            }
            return try await syncRolloutStatus(&deployment, all: old + [new].compactMap { $0 }, new: new)
        }
        if oldPodsRunning(old) {
            return try await syncRolloutStatus(&deployment, all: old + [new].compactMap { $0 }, new: new)
        }
        if new == nil { (new, old) = try await replicaSets(for: &deployment, sets, create: true) }
        guard var set = new else { return }
        let desired = deployment.spec.replicas ?? 1
        if set.desiredReplicas != desired { set = try await scale(set, to: desired, deployment) }
        if DeploymentStatusCalculation.isComplete(deployment, deployment.status) { try await cleanUp(old, deployment) }
        try await syncRolloutStatus(&deployment, all: old + [set], new: set)
    }

    /// oldPodsRunning: an old set still reports pods, or a pod of one has not finished.
    private func oldPodsRunning(_ old: [ReplicaSet]) -> Bool {
        if RolloutMath.actualReplicas(old) > 0 { return true }
        let uids = Set(old.compactMap(\.metadata.uid))
        return pods.list().contains { pod in
            guard let owner = pod.metadata.controllerReference?.uid, uids.contains(owner) else { return false }
            return pod.status.phase != "Failed" && pod.status.phase != "Succeeded"
        }
    }
}
