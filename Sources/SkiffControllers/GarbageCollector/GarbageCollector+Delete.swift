import SkiffAPI
import SkiffClient

extension GarbageCollector {
    /// How a dependent's reference stands, read live (upstream classifyReferences).
    enum ReferenceState {
        /// The owner exists and is not waiting for its dependents.
        case solid
        /// No owner with that uid exists.
        case dangling
        /// The owner deletes in the foreground and waits for its dependents.
        case waitingForDependents
    }

    /// upstream attemptToDeleteItem.
    func attemptToDelete(_ uid: String) async throws {
        guard let node = graph.withLock({ $0.node(uid) }) else { return }
        // Being deleted is a one-way trip; its dependents get their turn when it is gone.
        if node.beingDeleted && !node.deletingDependents { return }
        let latest: ObjectMeta?
        do { latest = try await api.get(node.identity) } catch {
            guard error is MetadataClient.UnknownKind else { throw error }
            logger.info("owner of an unserved kind left alone", metadata: ["object": "\(node.identity)"])
            return
        }
        guard let latest, latest.uid == uid else {
            // A virtual node whose object is absent: its dependents have lost an owner.
            enqueue(graph.withLock { $0.removeVirtual(uid) })
            return
        }
        guard node.observed else {
            // It exists but no informer has shown it yet: look again once it has.
            queue.add(CollectorWork.attemptToDelete(uid: uid).key, after: .seconds(1))
            return
        }
        if node.deletingDependents { return try await processDeletingDependents(node) }

        let references = latest.ownerReferences ?? []
        guard !references.isEmpty else { return }
        var solid: [OwnerReference] = []
        var gone: [OwnerReference] = []
        var waiting: [OwnerReference] = []
        for reference in references {
            switch try await state(of: reference, dependent: node.identity) {
            case .solid: solid.append(reference)
            case .dangling: gone.append(reference)
            case .waitingForDependents: waiting.append(reference)
            }
        }

        if !solid.isEmpty {
            // Other owners remain: only the references to absent or departing owners go.
            let stale = (gone + waiting).map(\.uid)
            guard !stale.isEmpty else { return }
            logger.debug("removing dangling owner references", metadata: ["object": "\(node.identity)", "owners": "\(stale)"])
            try await api.patch(
                node.identity, .strategicMerge, body: CollectorPatches.removeReferences(stale, dependentUID: uid))
            return
        }
        if !waiting.isEmpty && !node.dependents.isEmpty {
            // An owner waits for this object, which has dependents of its own: delete it
            // in the foreground too. If one of those dependents is itself waiting for
            // its dependents, this may be a cycle: stop blocking the owners first so
            // that each side can finish.
            let dependents = graph.withLock { graph in node.dependents.compactMap { graph.node($0) } }
            if dependents.contains(where: \.deletingDependents) {
                try await api.patch(
                    node.identity, .strategicMerge, body: CollectorPatches.unblock(references, dependentUID: uid))
            }
            logger.debug("deleting in the foreground", metadata: ["object": "\(node.identity)"])
            return try await api.delete(node.identity, propagationPolicy: "Foreground")
        }
        let finalizers = latest.finalizers ?? []
        let policy =
            finalizers.contains(OwnerGraph.orphanFinalizer)
            ? "Orphan" : finalizers.contains(OwnerGraph.foregroundFinalizer) ? "Foreground" : "Background"
        logger.debug("deleting object whose owners are gone", metadata: ["object": "\(node.identity)", "policy": "\(policy)"])
        try await api.delete(node.identity, propagationPolicy: policy)
    }

    /// Reads a dependent's owner live (upstream isDangling). An owner of a kind
    /// the server does not serve counts as solid: it cannot be read, so it is not
    /// known to be gone.
    private func state(of reference: OwnerReference, dependent: ObjectIdentity) async throws -> ReferenceState {
        guard let kind = MonitoredKinds.resolve(apiVersion: reference.apiVersion, kind: reference.kind) else {
            return .solid
        }
        // A cluster-scoped object cannot be owned by a namespaced one.
        if kind.namespaced && dependent.namespace == nil { return .dangling }
        let owner = ObjectIdentity(owner: reference, dependentNamespace: dependent.namespace, ownerNamespaced: kind.namespaced)
        guard let live = try await api.get(owner), live.uid == reference.uid else { return .dangling }
        if live.deletionTimestamp != nil && (live.finalizers ?? []).contains(OwnerGraph.foregroundFinalizer) {
            return .waitingForDependents
        }
        return .solid
    }

    /// upstream processDeletingDependentsItem: an owner deleting in the foreground
    /// goes once no dependent blocks it; until then its blocking dependents are
    /// looked at (each one's removal wakes the owner again).
    private func processDeletingDependents(_ node: GraphNode) async throws {
        let blocking = graph.withLock { $0.blockingDependents(of: node.identity.uid) }
        guard blocking.isEmpty else {
            for dependent in blocking where !dependent.deletingDependents {
                queue.add(CollectorWork.attemptToDelete(uid: dependent.identity.uid).key)
            }
            return
        }
        try await removeFinalizer(OwnerGraph.foregroundFinalizer, from: node.identity)
    }
}
