import SkiffAPI
import SkiffStore

extension ResourceRegistry {
    /// Deletes an object (DELETE) as upstream's generic store does: preconditions
    /// (409), then graceful deletion for kinds that wait (a pod on a node gets
    /// deletionTimestamp = now + grace and stays until deleted with grace 0), the
    /// garbage collector's `orphan`/`foregroundDeletion` finalizers from the
    /// propagation policy, and an object with finalizers is only marked
    /// (deletionTimestamp set) until an update removes the last one. Everything else
    /// goes at once.
    ///
    /// Namespaces turn Terminating on the first delete and go once their spec
    /// finalizers are gone.
    public func delete(
        namespace: String?, name: String, options: DeleteOptions = DeleteOptions()
    ) async throws(APIError) -> Registry.DeleteResult<T> {
        let errors = OptionChecks.deleteOptions(options)
        if !errors.isEmpty { throw .invalidOptions("DeleteOptions", errors) }
        if let namespaces = self as? ResourceRegistry<Namespace> {
            return try await namespaces.deleteNamespace(name: name, options: options) as! Registry.DeleteResult<T>
        }
        return try await deleteObject(namespace: namespace, name: name, options: options)
    }

    /// The generic store's Delete.
    func deleteObject(namespace: String?, name: String, options: DeleteOptions) async throws(APIError)
        -> Registry.DeleteResult<T>
    {
        let dryRun = !(options.dryRun ?? []).isEmpty
        let key = key(namespace: namespace, name: name)
        for _ in 0..<Self.maxAttempts {
            guard let kv = try await read(namespace: namespace, name: name) else { throw notFound(name) }
            var object = try StoredObjects.decode(T.self, from: kv)
            try DeletionPolicy.checkPreconditions(options.preconditions, on: object)
            let now = context.now()
            let grace = DeletionPolicy.beforeDelete(&object, requested: options.gracePeriodSeconds, now: now)
            if grace == .pending { return finished(object, deleted: false) }

            var expected = kv.modRevision
            let gcFinalizers = DeletionPolicy.garbageCollectionFinalizers(
                object.metadata.finalizers ?? [], options: options, orphanByDefault: T.orphansDependentsByDefault)
            if let gcFinalizers { object.metadata.finalizers = gcFinalizers }
            let pendingFinalizers = !(object.metadata.finalizers ?? []).isEmpty
            var markedOnly = false
            switch grace {
            case .graceful(let period):
                markedOnly = pendingFinalizers || period > 0
            case .immediate where pendingFinalizers:
                DeletionPolicy.markAsDeleting(&object, now: now)
                markedOnly = true
            default:
                break
            }
            if case .graceful = grace {
                // Written even when the grace period is 0, so watchers see the
                // deletionTimestamp before the object goes (as upstream).
                guard let revision = try await write(object, over: kv, dryRun: dryRun) else { continue }
                object.metadata.resourceVersion = String(revision)
                expected = revision
                if markedOnly { return Registry.DeleteResult(object: object, deleted: false) }
            } else if markedOnly {
                guard let revision = try await write(object, over: kv, dryRun: dryRun) else { continue }
                object.metadata.resourceVersion = String(revision)
                return Registry.DeleteResult(object: object, deleted: false)
            }

            if dryRun { return finished(object, deleted: true) }
            do {
                let deleted = try await store.delete(key, expectedModRevision: expected)
                var last = try StoredObjects.decode(T.self, from: deleted.deleted)
                last.metadata.resourceVersion = String(deleted.revision)
                await afterDelete(last, dryRun: false)
                return finished(last, deleted: true)
            } catch let error as StoreError where error.code == .conflict {
                continue
            } catch let error as StoreError where error.code == .notFound {
                // Lost a race with another deleter after our own graceful update.
                if expected != kv.modRevision { return finished(object, deleted: true) }
                throw notFound(name)
            } catch {
                throw failure(error, during: "delete", name: name)
            }
        }
        throw conflict(name)
    }

    /// Compare-and-swaps `object` over the version read; nil when another write won
    /// the race (the caller starts over). A dry run writes nothing.
    func write(_ object: T, over kv: KeyValue, dryRun: Bool) async throws(APIError) -> Int64? {
        let data = try encodeForStore(object)
        if dryRun || data == kv.value { return kv.modRevision }
        do {
            return try await store.update(kv.key, value: data, expectedModRevision: kv.modRevision)
        } catch let error as StoreError where error.code == .conflict || error.code == .notFound {
            return nil
        } catch {
            throw failure(error, during: "delete", name: object.metadata.name ?? "")
        }
    }

    /// finalizeDelete: the object, or for kinds that answer so a `Status` naming it.
    func finished(_ object: T, deleted: Bool) -> Registry.DeleteResult<T> {
        guard !T.returnsDeletedObject else { return Registry.DeleteResult(object: object, deleted: deleted) }
        var status = Status()
        status.setTypeMeta()
        status.status = Status.success
        var details = StatusDetails()
        details.name = object.metadata.name
        details.group = T.group.isEmpty ? nil : T.group
        // Upstream puts the resource, not the kind, in `kind` here.
        details.kind = T.resource
        details.uid = object.metadata.uid
        status.details = details
        return Registry.DeleteResult(object: object, deleted: deleted, status: status)
    }

    /// Deletes what a list with `listOptions` returns, one object at a time
    /// (DeleteCollection: not atomic), and returns that list. Objects deleted
    /// meanwhile by others are skipped.
    public func deleteCollection(
        namespace: String?, listOptions: Registry.ListOptions = Registry.ListOptions(),
        options: DeleteOptions = DeleteOptions()
    ) async throws(APIError) -> ObjectList<T> {
        if T.self == Namespace.self { throw .methodNotAllowed }
        let errors = OptionChecks.deleteOptions(options)
        if !errors.isEmpty { throw .invalidOptions("DeleteOptions", errors) }
        var listOptions = listOptions
        let limited = listOptions.limit > 0
        if !limited { listOptions.limit = 10_000 }
        var result: ObjectList<T>?
        while true {
            let page = try await list(namespace: namespace, options: listOptions)
            for item in page.items {
                do {
                    _ = try await delete(namespace: item.metadata.namespace, name: item.metadata.name ?? "", options: options)
                } catch where error.code == 404 {
                    continue
                }
            }
            if result == nil { result = page } else { result?.items += page.items }
            guard !limited, let token = page.metadata.continue, !token.isEmpty else { break }
            listOptions.continueToken = token
            listOptions.resourceVersion = nil
            listOptions.resourceVersionMatch = nil
        }
        if !limited {
            result?.metadata.continue = nil
            result?.metadata.remainingItemCount = nil
        }
        return result ?? ObjectList(items: [])
    }
}
