import SkiffAPI
import SkiffClient

extension ReplicaController {
    /// Writes the status the pods show, if it changed (upstream
    /// calculateStatus + updateReplicaSetStatus, which retries once on a conflict
    /// with a fresh read).
    func updateStatus(of set: Owner, pods: [Pod], failure: ReplicaFailure?) async throws -> Owner {
        var current = set
        for attempt in 0..<2 {
            let status = Self.status(of: current, pods: pods, failure: failure, now: .now())
            if current.replicaStatus == status { return current }
            var updated = current
            updated.replicaStatus = status
            do {
                return try await client.updateStatus(updated)
            } catch {
                guard error.isConflict && attempt == 0 else { throw error }
            }
            current = try await client.get(Owner.self, set.metadata.name ?? "", namespace: set.metadata.namespace)
        }
        return current
    }

    /// The status a replica set should show for these pods; a failed create or
    /// delete sets ReplicaFailure, a clean sync removes it.
    static func status(of set: Owner, pods: [Pod], failure: ReplicaFailure?, now: Time) -> ReplicaSetStatus {
        let counts = ReplicaCounts(
            pods: pods, templateLabels: set.podTemplate.metadata.labels ?? [:],
            minReadySeconds: set.minReadySeconds, now: now)
        var status = set.replicaStatus
        status.replicas = counts.replicas
        status.fullyLabeledReplicas = counts.fullyLabeled
        status.readyReplicas = counts.ready
        status.availableReplicas = counts.available
        status.observedGeneration = set.metadata.generation
        var conditions = status.conditions ?? []
        if let failure {
            if !conditions.contains(where: { $0.type == "ReplicaFailure" && $0.status == "True" && $0.reason == failure.reason }) {
                var condition = ReplicaSetCondition()
                condition.type = "ReplicaFailure"
                condition.status = "True"
                condition.reason = failure.reason
                condition.message = failure.error.message
                condition.lastTransitionTime = now
                conditions.removeAll { $0.type == "ReplicaFailure" }
                conditions.append(condition)
            }
        } else {
            conditions.removeAll { $0.type == "ReplicaFailure" }
        }
        status.conditions = conditions.isEmpty ? nil : conditions
        return status
    }
}
