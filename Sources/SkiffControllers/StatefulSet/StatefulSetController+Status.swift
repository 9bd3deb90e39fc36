import SkiffAPI
import SkiffClient

extension StatefulSetController {
    /// The status the pods show (upstream computeReplicaStatus and
    /// completeRollingUpdate): counts per revision; once every replica is
    /// updated and ready, the update revision becomes the current one.
    static func status(of set: StatefulSet, pods: [Pod], current: String, update: String, now: Time) -> StatefulSetStatus {
        var status = set.status
        let live = pods.filter { $0.metadata.deletionTimestamp == nil }
        let minReady = set.spec.minReadySeconds ?? 0
        status.observedGeneration = set.metadata.generation
        status.replicas = Int32(live.count)
        status.readyReplicas = Int32(live.filter(\.isReady).count)
        status.availableReplicas = Int32(live.filter { $0.isAvailable(minReadySeconds: minReady, now: now) }.count)
        status.currentReplicas = Int32(live.filter { StatefulPod.revision(of: $0) == current }.count)
        status.updatedReplicas = Int32(live.filter { StatefulPod.revision(of: $0) == update }.count)
        status.currentRevision = current
        status.updateRevision = update
        let replicas = set.spec.replicas ?? 1
        if set.spec.updateStrategy.type != "OnDelete", status.updatedReplicas == replicas, status.readyReplicas == replicas,
            status.replicas == replicas
        {
            status.currentRevision = update
            status.currentReplicas = status.updatedReplicas
        }
        return status
    }

    /// Writes the status if it changed, once more after a conflict with a fresh read.
    func updateStatus(of set: StatefulSet, _ status: StatefulSetStatus) async throws {
        var current = set
        for attempt in 0..<2 {
            if current.status == status { return }
            current.status = status
            do {
                _ = try await client.updateStatus(current)
                return
            } catch {
                guard error.isConflict && attempt == 0 else { throw error }
            }
            current = try await client.get(StatefulSet.self, set.metadata.name ?? "", namespace: set.metadata.namespace)
        }
    }
}
