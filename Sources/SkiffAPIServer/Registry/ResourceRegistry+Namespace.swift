import SkiffAPI

extension ResourceRegistry where T == Namespace {
    /// The namespace registry's Delete: the first request marks the namespace
    /// Terminating (the namespace controller then empties it and removes the
    /// `kubernetes` finalizer through `…/finalize`); the namespace goes once its spec
    /// finalizers are gone.
    func deleteNamespace(name: String, options: DeleteOptions) async throws(APIError) -> Registry.DeleteResult<Namespace> {
        if context.namespaceLifecycle == .enforced && NamespaceLifecycle.immortalNamespaces.contains(name) {
            throw APIError(
                code: 403, reason: "Forbidden",
                message: "namespaces \"\(name)\" is forbidden: this namespace may not be deleted",
                details: { var details = StatusDetails(); details.name = name; details.kind = "namespaces"; return details }())
        }
        guard let kv = try await read(namespace: nil, name: name) else { throw notFound(name) }
        let namespace = try StoredObjects.decode(Namespace.self, from: kv)
        try checkPreconditions(options.preconditions, on: namespace)
        guard namespace.metadata.deletionTimestamp == nil else {
            if !(namespace.spec.finalizers ?? []).isEmpty {
                return Registry.DeleteResult(object: namespace, deleted: false)
            }
            return try await deleteObject(namespace: nil, name: name, options: options)
        }
        let now = context.now().truncatedToSeconds
        let result = try await guaranteedUpdate(
            namespace: nil, name: name, dryRun: !(options.dryRun ?? []).isEmpty
        ) { (existing: Namespace, _: inout AllocationChanges) throws(APIError) -> Namespace in
            try self.checkPreconditions(options.preconditions, on: existing)
            var terminating = existing
            if terminating.metadata.deletionTimestamp == nil { terminating.metadata.deletionTimestamp = now }
            terminating.status.phase = "Terminating"
            terminating.metadata.finalizers = Self.terminationFinalizers(existing.metadata.finalizers ?? [], options)
            return terminating
        }
        return Registry.DeleteResult(object: result.object, deleted: false)
    }

    /// The namespace registry words its preconditions as storage does.
    private func checkPreconditions(_ preconditions: Preconditions?, on namespace: Namespace) throws(APIError) {
        let name = namespace.metadata.name ?? ""
        if let uid = preconditions?.uid, uid != namespace.metadata.uid ?? "" {
            throw .conflict(
                resource: "namespaces", group: "", name: name,
                why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(namespace.metadata.uid ?? "")")
        }
        if let version = preconditions?.resourceVersion, version != namespace.metadata.resourceVersion ?? "" {
            throw .conflict(
                resource: "namespaces", group: "", name: name,
                why: "Precondition failed: ResourceVersion in precondition: \(version), "
                    + "ResourceVersion in object meta: \(namespace.metadata.resourceVersion ?? "")")
        }
    }

    /// shouldHaveOrphanFinalizer / shouldHaveDeleteDependentsFinalizer: for a
    /// namespace `orphanDependents: false` means foreground. Sorted, for stable bytes.
    private static func terminationFinalizers(_ finalizers: [String], _ options: DeleteOptions) -> [String]? {
        var set = Set(finalizers)
        let orphan: Bool
        let foreground: Bool
        if let orphanDependents = options.orphanDependents {
            orphan = orphanDependents
            foreground = !orphanDependents
        } else if let policy = options.propagationPolicy {
            orphan = policy == PropagationPolicy.orphan
            foreground = policy == PropagationPolicy.foreground
        } else {
            orphan = set.contains(DeletionPolicy.orphanFinalizer)
            foreground = set.contains(DeletionPolicy.foregroundFinalizer)
        }
        for (finalizer, wanted) in [(DeletionPolicy.orphanFinalizer, orphan), (DeletionPolicy.foregroundFinalizer, foreground)] {
            if wanted { set.insert(finalizer) } else { set.remove(finalizer) }
        }
        if set == Set(finalizers) { return finalizers.isEmpty ? nil : finalizers }
        return set.isEmpty ? nil : set.sorted()
    }
}
