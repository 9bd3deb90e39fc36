import Logging
import SkiffAPI
import SkiffClient

/// Empties namespaces that are being deleted, then lets them go, as upstream's
/// namespace controller: once a namespace has a deletionTimestamp (the API
/// server sets it and phase Terminating on the first delete), every namespaced
/// object in it is deleted, the namespace's conditions say what is left and why,
/// and when nothing is left the `kubernetes` finalizer is removed through
/// `namespaces/{name}/finalize`, which lets the server delete the namespace.
/// The key is the namespace's name.
public final class NamespaceController: Controller {
    public let name = "namespace"
    /// The spec finalizer this controller owns (the API server puts it on every namespace).
    static let finalizer = "kubernetes"
    public let queue = WorkQueue<String>()

    let client: APIClient
    let namespaces: Informer<Namespace>
    let deleter: NamespaceContentDeleter
    let logger: Logger

    public init(client: APIClient, informers: SharedInformers, logger: Logger) {
        self.client = client
        self.logger = logger
        deleter = NamespaceContentDeleter(resources: NamespacedResources(client: client))
        namespaces = informers.informer(Namespace.self)
        namespaces.addHandler { [weak self] event in
            switch event {
            case .added(let namespace), .updated(_, let namespace):
                guard namespace.metadata.deletionTimestamp != nil else { return }
                self?.queue.add(namespace.metadata.name ?? "")
            case .deleted, .synced: break
            }
        }
    }

    /// syncNamespaceFromKey: content that is still going (grace periods,
    /// finalizers) brings the namespace back after half the estimate, as upstream.
    public func sync(_ key: String) async throws {
        guard let remaining = try await finish(key) else { return }
        logger.debug("namespace content remaining", metadata: ["namespace": "\(key)", "estimate": "\(remaining)"])
        queue.add(key, after: .seconds(Int(remaining / 2 + 1)))
    }

    /// namespacedResourcesDeleter.Delete: nil when done (or nothing to do), else
    /// the estimated seconds until the content left may be gone.
    func finish(_ name: String) async throws -> Int64? {
        // Another deleter may have moved on: act on the namespace as it is now.
        guard var namespace = try await current(name), namespace.metadata.deletionTimestamp != nil else { return nil }
        if namespace.status.phase != "Terminating" {
            namespace.status.phase = "Terminating"
            namespace = try await client.updateStatus(namespace)
        }
        guard (namespace.spec.finalizers ?? []).contains(Self.finalizer) else { return nil }

        let now = Time.now()
        let outcome = await deleter.deleteAll(in: namespace, now: now)
        var status = namespace.status
        if outcome.conditions.apply(to: &status, now: now.truncatedToSeconds) {
            namespace.status = status
            do {
                namespace = try await client.updateStatus(namespace)
            } catch {
                // Upstream logs this and goes on; the next pass writes them again.
                logger.info("namespace conditions not written", metadata: ["namespace": "\(name)", "error": "\(error)"])
            }
        }
        if !outcome.errors.isEmpty { throw NamespaceDeletionError(namespace: name, errors: outcome.errors) }
        if outcome.estimate > 0 { return outcome.estimate }
        try await finalize(name)
        return nil
    }

    /// finalizeNamespace: the spec's finalizers without `kubernetes`, through
    /// `…/finalize`, retried on a conflict with a fresh read.
    private func finalize(_ name: String) async throws {
        for attempt in 0..<3 {
            guard var namespace = try await current(name) else { return }
            namespace.spec.finalizers = (namespace.spec.finalizers ?? []).filter { $0 != Self.finalizer }
            namespace.setTypeMeta()
            do {
                let body = try JSONCodec.encode(namespace)
                try await client.request(.PUT, Namespace.path(name: name, subresource: "finalize"), body: body)
                logger.debug("namespace finalized", metadata: ["namespace": "\(name)"])
                return
            } catch let error as ClientError {
                if error.isNotFound { return }
                if !error.isConflict || attempt == 2 { throw error }
            }
        }
    }

    private func current(_ name: String) async throws -> Namespace? {
        do { return try await client.get(Namespace.self, name) } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }
}

/// Some content could not be deleted or discovered; retried with backoff.
struct NamespaceDeletionError: Error, CustomStringConvertible {
    let namespace: String
    let errors: [String]
    var description: String { "namespace \(namespace): \(errors.sorted().joined(separator: ", "))" }
}
