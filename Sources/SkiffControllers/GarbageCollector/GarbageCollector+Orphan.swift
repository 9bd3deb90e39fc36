import SkiffAPI
import SkiffClient

extension GarbageCollector {
    /// upstream attemptToOrphanWorker: remove the references to an owner deleting
    /// with the `orphan` finalizer from all its dependents, then the finalizer.
    func attemptToOrphan(_ uid: String) async throws {
        guard let node = graph.withLock({ $0.node(uid) }), node.observed else { return }
        let dependents = graph.withLock { graph in node.dependents.compactMap { graph.node($0) } }
        var firstError: (any Error)?
        for dependent in dependents {
            do {
                try await api.patch(
                    dependent.identity, .strategicMerge,
                    body: CollectorPatches.removeReferences([uid], dependentUID: dependent.identity.uid))
            } catch {
                // A dependent replaced under the same name refuses the uid in the patch.
                let status = (error as? ClientError)?.code
                if status == 409 || status == 422 { continue }
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
        try await removeFinalizer(OwnerGraph.orphanFinalizer, from: node.identity)
    }

    /// Removes one finalizer from the live object, with its resourceVersion as a
    /// precondition, reading again after a conflict. An object gone, replaced, or
    /// without the finalizer needs nothing.
    func removeFinalizer(_ finalizer: String, from identity: ObjectIdentity) async throws {
        for _ in 0..<5 {
            guard let live = try await api.get(identity), live.uid == identity.uid else { return }
            let finalizers = live.finalizers ?? []
            guard finalizers.contains(finalizer) else { return }
            let body = CollectorPatches.finalizers(
                finalizers.filter { $0 != finalizer }, resourceVersion: live.resourceVersion ?? "")
            do {
                try await api.patch(identity, .merge, body: body)
                logger.debug("removed finalizer", metadata: ["object": "\(identity)", "finalizer": "\(finalizer)"])
                return
            } catch {
                guard (error as? ClientError)?.isConflict == true else { throw error }
            }
        }
        throw ClientError(code: 409, reason: .conflict, message: "finalizer \(finalizer) of \(identity) kept changing")
    }
}
