import SkiffAPI
import SkiffClient

extension EndpointSliceController {
    /// How soon a sync that found the cache behind its own writes looks again.
    static let staleCacheRetry = Duration.milliseconds(50)

    /// upstream syncService: plan from the caches, then write only what differs.
    public func sync(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        guard let service = services.get(name, namespace: namespace) else {
            try await deleteSlices(ofDeletedService: key)
            tracker.forget(service: key)
            return
        }
        // ExternalName services get no endpoints; services without a selector keep
        // whatever slices their owner writes.
        if service.spec.type == ServiceType.externalName { return }
        guard let selector = service.podSelector else { return }

        let selected = pods.list().filter {
            $0.metadata.namespace == namespace && selector.matches($0.metadata.labels ?? [:])
        }
        let existing = managedSlices(namespace: namespace, service: name).filter { $0.metadata.deletionTimestamp == nil }
        if tracker.isStale(existing, service: key) {
            // Our own writes wake no one when they arrive, so look again shortly
            // (upstream returns an error for a rate-limited retry; this is the
            // common case right after a write, not worth a log line each time).
            logger.debug("endpoint slice cache behind, waiting", metadata: ["service": "\(key)"])
            queue.add(key, after: Self.staleCacheRetry)
            return
        }
        let plan = reconciler.plan(service: service, pods: selected, existing: existing) { self.nodes.get($0) }
        try await apply(plan, service: key)
        if !plan.podsWithUnknownNodes.isEmpty {
            throw EndpointSliceSyncError.unknownNodes(key, pods: plan.podsWithUnknownNodes)
        }
    }

    /// The slices this controller keeps for a service name, from the cache.
    func managedSlices(namespace: String, service: String) -> [EndpointSlice] {
        slices.list().filter {
            $0.metadata.namespace == namespace && Self.serviceKey(of: $0) == ObjectKey.make(namespace: namespace, name: service)
        }
    }

    /// Creates, then updates, then deletes, so a service is never without its
    /// endpoints between two writes.
    private func apply(_ plan: SlicePlan, service key: String) async throws {
        for slice in plan.create {
            do {
                tracker.written(try await client.create(slice), service: key)
            } catch {
                // A terminating namespace refuses every create; its service goes soon.
                if error.isNamespaceTerminating { return }
                throw error
            }
        }
        for slice in plan.update {
            tracker.written(try await client.update(slice), service: key)
        }
        for slice in plan.delete {
            try await delete(slice, service: key)
        }
        if !plan.isEmpty {
            logger.debug(
                "endpoint slices written",
                metadata: [
                    "service": "\(key)", "created": "\(plan.create.count)", "updated": "\(plan.update.count)",
                    "deleted": "\(plan.delete.count)",
                ])
        }
    }

    /// Without a garbage collector the owner references alone would leave a
    /// deleted service's slices behind, so the controller removes its own.
    private func deleteSlices(ofDeletedService key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        for slice in managedSlices(namespace: namespace, service: name) where slice.metadata.deletionTimestamp == nil {
            try await delete(slice, service: key)
        }
    }

    private func delete(_ slice: EndpointSlice, service key: String) async throws {
        do {
            try await client.delete(EndpointSlice.self, slice.metadata.name ?? "", namespace: slice.metadata.namespace)
        } catch {
            if !error.isNotFound { throw error }
        }
        tracker.deleted(slice, service: key)
    }
}

/// Why a sync stopped early; the key is retried with backoff.
enum EndpointSliceSyncError: Error, CustomStringConvertible {
    /// Some selected pods name a node the cache does not know.
    case unknownNodes(String, pods: [String])

    var description: String {
        switch self {
        case .unknownNodes(let key, let pods): "skipped pods \(pods) of service \(key): node not found"
        }
    }
}

extension ClientError {
    /// A create refused because the namespace is being deleted (cause NamespaceTerminating).
    var isNamespaceTerminating: Bool {
        status?.details?.causes?.contains { $0.reason == "NamespaceTerminating" } == true
    }
}
