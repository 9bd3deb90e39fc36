import SkiffAPI
import SkiffClient

extension ReplicaController {
    /// upstream syncReplicaSet: claim the pods, create or delete pods unless
    /// earlier creations or deletions are still to be seen, then write the status.
    public func sync(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        guard let set = replicaSets.get(name, namespace: namespace) else {
            expectations.remove(key)
            return
        }
        let selector: Labels.Selector
        do { selector = try set.podSelector() } catch {
            logger.warning("invalid selector", metadata: ["\(name)": "\(key)", "error": "\(error)"])
            return
        }
        let needsSync = expectations.satisfied(key) && set.metadata.deletionTimestamp == nil
        let candidates = pods.list().filter { $0.metadata.namespace == namespace && $0.isActive }
        let claims = Claims<Owner, Pod>(client: client, owner: set, selector: selector) {
            try await self.client.isCurrent(set)
        }
        let owned = try await claims.claim(candidates)

        var failure: ReplicaFailure?
        if needsSync {
            failure = await manageReplicas(owned, of: set, key: key, related: candidates)
        }
        let updated = try await updateStatus(of: set, pods: owned, failure: failure)
        let minReady = updated.minReadySeconds
        let status = updated.replicaStatus
        if failure == nil, minReady > 0, status.readyReplicas == updated.desiredReplicas,
            status.availableReplicas != updated.desiredReplicas
        {
            queue.add(key, after: .seconds(Int(minReady)))
        }
        if let failure { throw failure }
    }
}

/// A create or delete the API refused; shown in the ReplicaFailure condition
/// and retried with backoff.
struct ReplicaFailure: Error, CustomStringConvertible {
    /// FailedCreate or FailedDelete.
    let reason: String
    let error: ClientError
    var description: String { "\(error)" }
}
