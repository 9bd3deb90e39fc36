import SkiffAPI
import SkiffStore

extension ResourceRegistry {
    /// Replaces an object (PUT), or its status or a namespace's finalizers, with
    /// upstream's optimistic concurrency: the body's resourceVersion must be the
    /// stored one (409 otherwise); an empty one overwrites whatever is there for kinds
    /// that allow it. The kind's PrepareForUpdate keeps what this write may not touch
    /// (the status of the main resource, the spec through `…/status`), identity and
    /// timestamps stay as stored, the generation grows when the desired state changes,
    /// and validateUpdate has the last word (422). An object being deleted whose last
    /// finalizer this update removes is deleted for real.
    ///
    /// Kinds that allow it (Endpoints, Events, Leases, RBAC) create a missing object.
    public func update(
        namespace: String?, name: String, _ object: T, subresource: Registry.Subresource? = nil,
        options: Registry.WriteOptions = Registry.WriteOptions()
    ) async throws(APIError) -> Registry.UpdateResult<T> {
        try options.validate(as: "UpdateOptions")
        try checkSubresource(subresource)
        var object = object
        try Self.checkName(&object, name: name, namespace: namespace)
        object = APIDefaulting.defaulted(object)
        if subresource == nil { object = mutateForUpdate(object) }
        let dryRun = options.isDryRun
        return try await guaranteedUpdate(
            namespace: object.metadata.namespace, name: name, dryRun: dryRun,
            createIfMissing: subresource == nil && T.allowsCreateOnUpdate ? object : nil
        ) { (existing: T, changes: inout AllocationChanges) throws(APIError) -> T in
            var new = try self.checkResourceVersion(object, existing: existing)
            if subresource == nil { changes = try await self.beginUpdate(&new, old: existing, dryRun: dryRun) }
            return try self.finishPrepareUpdate(new, existing: existing, subresource: subresource)
        }
    }

    /// BeforeUpdate: the request's object made ready to replace `existing`, or an
    /// error (409 for a stale resourceVersion, 422 for an invalid change).
    func prepareUpdate(_ object: T, existing old: T, subresource: Registry.Subresource?) throws(APIError) -> T {
        try finishPrepareUpdate(checkResourceVersion(object, existing: old), existing: old, subresource: subresource)
    }

    /// The optimistic-concurrency check: the body's resourceVersion must be the stored one.
    func checkResourceVersion(_ object: T, existing old: T) throws(APIError) -> T {
        var new = object
        let name = old.metadata.name ?? ""
        let requested = new.metadata.resourceVersion ?? ""
        if requested.isEmpty {
            guard T.allowsUnconditionalUpdate else {
                throw .invalid(
                    kind: T.resource, group: T.group, name: name,
                    errors: [.invalid(FieldPath("metadata", "resourceVersion"), .int(0), "must be specified for an update")])
            }
        } else if requested != old.metadata.resourceVersion {
            throw conflict(name)
        }
        new.metadata.resourceVersion = old.metadata.resourceVersion
        return new
    }

    /// The kind's PrepareForUpdate, the fields an update keeps, and validateUpdate.
    func finishPrepareUpdate(_ object: T, existing old: T, subresource: Registry.Subresource?) throws(APIError) -> T {
        var new = object
        let name = old.metadata.name ?? ""
        new.metadata.generation = old.metadata.generation
        switch subresource {
        case nil:
            new.prepareForUpdate(old: old)
            if T.tracksGeneration && new.generationChanged(from: old) {
                new.metadata.generation = (old.metadata.generation ?? 0) + 1
            }
        case .status:
            new.prepareForStatusUpdate(old: old)
        case .finalize:
            if var namespace = new as? Namespace, let oldNamespace = old as? Namespace {
                namespace.prepareForFinalize(old: oldNamespace)
                new = namespace as! T
            }
        }
        if (new.metadata.uid ?? "").isEmpty { new.metadata.uid = old.metadata.uid }
        if old.metadata.creationTimestamp != nil { new.metadata.creationTimestamp = old.metadata.creationTimestamp }
        if old.metadata.deletionTimestamp != nil { new.metadata.deletionTimestamp = old.metadata.deletionTimestamp }
        if old.metadata.deletionGracePeriodSeconds != nil && new.metadata.deletionGracePeriodSeconds == nil {
            new.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds
        }
        new.setTypeMeta()
        let errors = APIValidation.validateUpdate(new: new, old: old)
        if !errors.isEmpty { throw .invalid(kind: T.kind, group: T.group, name: name, errors: errors) }
        return new
    }

    /// Upstream's GuaranteedUpdate: read, transform, compare-and-swap, and on a lost
    /// race read again and retry, so a transform that checks the resourceVersion
    /// reports a 409 and an unconditional one wins. An update that leaves the stored
    /// bytes alone writes nothing and keeps the resourceVersion.
    ///
    /// The transform may take allocations (``AllocationChanges``): they go back when
    /// the write fails or loses its race, and what it releases goes once the write lands.
    ///
    /// - Parameter createIfMissing: what to create when the key is absent; nil means 404.
    func guaranteedUpdate(
        namespace: String?, name: String, dryRun: Bool, createIfMissing: T? = nil,
        _ transform: (T, inout AllocationChanges) async throws(APIError) -> T
    ) async throws(APIError) -> Registry.UpdateResult<T> {
        for _ in 0..<Self.maxAttempts {
            guard let kv = try await read(namespace: namespace, name: name) else {
                guard var created = createIfMissing else { throw notFound(name) }
                created.metadata.resourceVersion = nil
                let options = dryRun ? Registry.WriteOptions.dryRunAll : Registry.WriteOptions()
                do {
                    return Registry.UpdateResult(object: try await create(namespace: namespace, created, options: options), created: true)
                } catch where error.reason == "AlreadyExists" {
                    continue
                }
            }
            let existing = try StoredObjects.decode(T.self, from: kv)
            var changes = AllocationChanges.none
            do {
                let updated = try await transform(existing, &changes)
                guard let result = try await write(updated, over: kv, existing: existing, dryRun: dryRun) else {
                    await changes.revert()
                    continue
                }
                await changes.commit()
                if result.deleted { await afterDelete(updated, dryRun: dryRun) }
                return result
            } catch {
                await changes.revert()
                throw error
            }
        }
        throw conflict(name)
    }

    /// One compare-and-swap of an update; nil when another write won the race. An
    /// update that leaves the stored bytes alone writes nothing and keeps the
    /// resourceVersion.
    private func write(_ updated: T, over kv: KeyValue, existing: T, dryRun: Bool) async throws(APIError)
        -> Registry.UpdateResult<T>?
    {
        let name = existing.metadata.name ?? ""
        do {
            if Self.shouldDeleteDuringUpdate(updated, existing: existing) {
                if !dryRun { _ = try await store.delete(kv.key, expectedModRevision: kv.modRevision) }
                return Registry.UpdateResult(object: updated, deleted: true)
            }
            let data = try encodeForStore(updated)
            if data == kv.value || dryRun { return Registry.UpdateResult(object: updated) }
            var stored = updated
            stored.metadata.resourceVersion = String(
                try await store.update(kv.key, value: data, expectedModRevision: kv.modRevision))
            return Registry.UpdateResult(object: stored)
        } catch let error as StoreError where error.code == .conflict || error.code == .notFound {
            return nil
        } catch {
            throw failure(error, during: "update", name: name)
        }
    }

    /// ShouldDeleteDuringUpdate: the last finalizer of an object being deleted is
    /// gone and no grace period is pending (a namespace also waits for its spec
    /// finalizers).
    static func shouldDeleteDuringUpdate(_ new: T, existing old: T) -> Bool {
        guard (new.metadata.finalizers ?? []).isEmpty, old.metadata.deletionTimestamp != nil else { return false }
        if let namespace = new as? Namespace, !(namespace.spec.finalizers ?? []).isEmpty { return false }
        return (old.metadata.deletionGracePeriodSeconds ?? 0) == 0
    }

    /// 404 for a subresource the kind does not serve, as for any unknown path.
    func checkSubresource(_ subresource: Registry.Subresource?) throws(APIError) {
        switch subresource {
        case nil: return
        case .status where T.hasStatusSubresource: return
        case .finalize where T.self == Namespace.self: return
        default: throw .pathNotFound
        }
    }

    /// The body must name the object of the URL (upstream's checkName); an empty
    /// name or namespace is taken from the URL.
    static func checkName(_ object: inout T, name: String, namespace: String?) throws(APIError) {
        let own = object.metadata.name ?? ""
        if own.isEmpty {
            object.metadata.name = name
        } else if own != name {
            throw .badRequest("the name of the object (\(own)) does not match the name on the URL (\(name))")
        }
        guard T.namespaced else {
            object.metadata.namespace = nil
            return
        }
        let ownNamespace = object.metadata.namespace ?? ""
        if let namespace, !namespace.isEmpty {
            if ownNamespace.isEmpty {
                object.metadata.namespace = namespace
            } else if ownNamespace != namespace {
                throw .badRequest(
                    "the namespace of the object (\(ownNamespace)) does not match the namespace on the request (\(namespace))")
            }
        }
    }
}
