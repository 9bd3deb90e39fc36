import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// Upstream's garbage collector: a graph of owners and dependents built from
/// informers over every kind it monitors (``MonitoredKinds``), keyed by uid, and
/// workers that delete dependents whose owners are all gone (background),
/// delete a foreground-deleting owner's dependents before letting it go
/// (`foregroundDeletion` finalizer, blockOwnerDeletion), and strip references to
/// an orphaning owner from its dependents (`orphan` finalizer).
public final class GarbageCollector: Controller {
    public let name = "garbagecollector"
    public let queue = WorkQueue<String>()

    let api: MetadataClient
    let graph = Mutex(OwnerGraph())
    let logger: Logger

    public init(client: APIClient, informers: SharedInformers, logger: Logger) {
        api = MetadataClient(client: client)
        self.logger = logger
        for type in Scheme.objectTypes where !MonitoredKinds.ignored.contains(type.kind) {
            monitor(type, informers: informers)
        }
    }

    private func monitor<T: APIObject>(_ type: T.Type, informers: SharedInformers) {
        informers.informer(T.self).addHandler { [weak self] event in self?.changed(event) }
    }

    /// upstream processGraphChanges, run inline: graph updates are quick.
    private func changed<T: APIObject>(_ event: InformerEvent<T>) {
        let work: [CollectorWork]
        switch event {
        case .added(let object), .updated(_, let object):
            let identity = Self.identity(of: object)
            work = graph.withLock { $0.observe(identity, object.metadata, ownerNamespaced: Self.isNamespaced) }
        case .deleted(let object):
            let uid = object.metadata.uid ?? ""
            work = graph.withLock { $0.remove(uid) }
        case .synced:
            return
        }
        enqueue(work)
    }

    func enqueue(_ work: [CollectorWork]) {
        for item in work { queue.add(item.key) }
    }

    static func identity<T: APIObject>(of object: T) -> ObjectIdentity {
        ObjectIdentity(
            apiVersion: T.apiVersion, kind: T.kind, namespace: T.namespaced ? object.metadata.namespace : nil,
            name: object.metadata.name ?? "", uid: object.metadata.uid ?? "")
    }

    /// Whether the kind a reference names is namespaced; unknown kinds are taken as
    /// namespaced (their reads fail either way).
    @Sendable static func isNamespaced(_ reference: OwnerReference) -> Bool {
        MonitoredKinds.resolve(apiVersion: reference.apiVersion, kind: reference.kind)?.namespaced ?? true
    }

    public func sync(_ key: String) async throws {
        switch CollectorWork(key: key) {
        case .attemptToDelete(let uid): try await attemptToDelete(uid)
        case .attemptToOrphan(let uid): try await attemptToOrphan(uid)
        case nil: return
        }
    }
}
