import SkiffAPI
import SkiffClient

extension ReplicaController {
    /// upstream manageReplicas: create the missing pods or delete the extra ones,
    /// at most ``burstReplicas`` per sync, recording what the informer must show
    /// before the next change.
    func manageReplicas(_ owned: [Pod], of set: Owner, key: String, related: [Pod]) async -> ReplicaFailure? {
        let diff = owned.count - Int(set.desiredReplicas)
        if diff < 0 {
            let count = min(-diff, Self.burstReplicas)
            expectations.expect(key, creations: count)
            let (created, error) = await SlowStart.run(count) { () async throws(ClientError) in
                try await self.createPod(for: set)
            }
            let skipped = count - created
            if skipped > 0 {
                // Creations that failed or were never tried will never be observed.
                expectations.creationObserved(key, count: skipped)
            }
            return error.map { ReplicaFailure(reason: "FailedCreate", error: $0) }
        }
        if diff > 0 {
            let count = min(diff, Self.burstReplicas)
            let siblings = related.filter { pod in
                guard let reference = pod.metadata.controllerReference else { return false }
                return relatedOwners(of: set).contains(reference.uid)
            }
            let victims = Array(DeletionOrder.sorted(owned, related: siblings).prefix(count))
            expectations.expect(key, deletions: Set(victims.compactMap(\.metadata.uid)))
            var failure: ReplicaFailure?
            await withTaskGroup(of: ReplicaFailure?.self) { group in
                for pod in victims {
                    group.addTask { await self.deletePod(pod, of: set, key: key) }
                }
                for await result in group where failure == nil { failure = result }
            }
            return failure
        }
        return nil
    }

    private func createPod(for set: Owner) async throws(ClientError) {
        do {
            let pod = try await client.create(Pod.fromTemplate(set.podTemplate, owner: set))
            record(set, .normal, "SuccessfulCreate", "Created pod: \(pod.metadata.name ?? "")")
        } catch {
            record(set, .warning, "FailedCreate", "Error creating: \(error.message)")
            throw error
        }
    }

    private func deletePod(_ pod: Pod, of set: Owner, key: String) async -> ReplicaFailure? {
        let name = pod.metadata.name ?? ""
        do {
            try await client.delete(Pod.self, name, namespace: pod.metadata.namespace)
            record(set, .normal, "SuccessfulDelete", "Deleted pod: \(name)")
            return nil
        } catch {
            // The informer will not show a deletion that did not happen.
            expectations.deletionObserved(key, uid: pod.metadata.uid ?? "")
            if error.isNotFound { return nil }
            record(set, .warning, "FailedDelete", "Error deleting: \(error.message)")
            return ReplicaFailure(reason: "FailedDelete", error: error)
        }
    }

    /// The uids of this set and of the other replica sets its controller owns:
    /// their pods count when spreading what remains over nodes.
    private func relatedOwners(of set: Owner) -> Set<String> {
        var uids: Set<String> = [set.metadata.uid ?? ""]
        guard let controller = set.metadata.controllerReference else { return uids }
        for other in replicaSets.list()
        where other.metadata.namespace == set.metadata.namespace && other.metadata.controllerReference?.uid == controller.uid {
            uids.insert(other.metadata.uid ?? "")
        }
        return uids
    }

    func record(_ set: Owner, _ type: EventRecorder.EventType, _ reason: String, _ message: String) {
        events?.record(ObjectReference(to: set), type: type, reason: reason, message: message)
    }
}

/// upstream slowStartBatch: calls in batches of 1, 2, 4, … running each batch
/// concurrently, and stops after the first batch with a failure, so a create
/// that is refused (a quota, an admission rule) is tried a few times rather
/// than hundreds.
enum SlowStart {
    /// Returns how many calls succeeded and the first error.
    static func run(
        _ count: Int, initialBatch: Int = 1, _ call: @escaping @Sendable () async throws(ClientError) -> Void
    ) async -> (succeeded: Int, error: ClientError?) {
        var remaining = count
        var batch = min(remaining, initialBatch)
        var succeeded = 0
        while batch > 0 {
            var error: ClientError?
            await withTaskGroup(of: ClientError?.self) { group in
                for _ in 0..<batch {
                    group.addTask {
                        do throws(ClientError) { try await call() } catch { return error }
                        return nil
                    }
                }
                for await result in group {
                    if let result { error = error ?? result } else { succeeded += 1 }
                }
            }
            if let error { return (succeeded, error) }
            remaining -= batch
            batch = min(remaining, batch * 2)
        }
        return (succeeded, nil)
    }
}
