import Logging
import SkiffAPI
import Synchronization

/// A change an ``Informer`` applied to its cache.
public enum InformerEvent<T: APIObject>: Sendable {
    case added(T)
    case updated(old: T, new: T)
    case deleted(T)
    /// A full list has been applied (the first one: the informer has synced).
    case synced
}

/// List + watch of one kind into a local cache keyed by `namespace/name`, as
/// client-go's shared informer does: the first list comes from the server's
/// watch cache (`resourceVersion=0`), the watch resumes from the last
/// resourceVersion seen (bookmarks keep it fresh), and a 410 Gone re-lists
/// consistently and reports the difference. Handlers run in order on the
/// informer's task, so they must be quick; ``events()`` gives the same changes as
/// an AsyncStream.
public final class Informer<T: APIObject>: Sendable {
    private struct State {
        var items: [String: T] = [:]
        var resourceVersion: String?
        var synced = false
        var syncWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var handlers: [@Sendable (InformerEvent<T>) -> Void] = []
        var streams: [AsyncStream<InformerEvent<T>>.Continuation] = []
    }

    private let client: APIClient
    private let namespace: String?
    private let options: ListOptions
    private let logger: Logger
    private let state = Mutex(State())

    /// `labelSelector` and `fieldSelector` narrow what is cached, e.g. pods of
    /// one node: `fieldSelector: "spec.nodeName=n1"`.
    public init(
        client: APIClient, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil,
        logger: Logger = Logger(label: "skiff.informer")
    ) {
        self.client = client
        self.namespace = namespace
        options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector)
        self.logger = logger
    }

    /// Adds a handler for every later change; add handlers before ``run()``.
    public func addHandler(_ handler: @escaping @Sendable (InformerEvent<T>) -> Void) {
        state.withLock { $0.handlers.append(handler) }
    }

    /// The changes applied from now on, as a stream (unbounded: consume it).
    public func events() -> AsyncStream<InformerEvent<T>> {
        let (stream, continuation) = AsyncStream.makeStream(of: InformerEvent<T>.self)
        state.withLock { $0.streams.append(continuation) }
        return stream
    }

    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// Returns once the first list has been applied, or when the calling task is
    /// cancelled (a component stopped before its caches synced must still stop).
    public func waitForSync() async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.synced || Task.isCancelled { return true }
                    state.syncWaiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.syncWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// The cached object, if any.
    public func get(_ name: String, namespace: String? = nil) -> T? {
        let key = Self.key(namespace: namespace, name: name)
        return state.withLock { $0.items[key] }
    }

    /// Every cached object, in no particular order.
    public func list() -> [T] {
        state.withLock { Array($0.items.values) }
    }

    /// The resourceVersion of the last list or event applied.
    public var lastSyncResourceVersion: String? { state.withLock { $0.resourceVersion } }

    /// Lists and watches until the task is cancelled; then finishes ``events()`` streams.
    public func run() async {
        var consistent = false
        while !Task.isCancelled {
            do {
                try await relist(consistent: consistent)
                consistent = false
                try await watchUntilGone()
                consistent = true
            } catch {
                if Task.isCancelled { break }
                consistent = error.isGone
                logger.warning("informer retrying", metadata: ["kind": "\(T.kind)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        let streams = state.withLock { state in
            defer { state.streams.removeAll() }
            return state.streams
        }
        streams.forEach { $0.finish() }
    }

    static func key(namespace: String?, name: String) -> String {
        guard T.namespaced else { return name }
        return (namespace ?? "") + "/" + name
    }

    static func key(of object: T) -> String {
        key(namespace: object.metadata.namespace, name: object.metadata.name ?? "")
    }

    /// Lists (from the watch cache, or consistently after a 410) and replaces
    /// the cache, reporting objects added, changed and gone since.
    private func relist(consistent: Bool) async throws(ClientError) {
        var options = options
        options.resourceVersion = consistent ? nil : "0"
        let list = try await client.listAll(T.self, namespace: namespace, options: options)
        var fresh: [String: T] = [:]
        for item in list.items { fresh[Self.key(of: item)] = item }
        let old = state.withLock { state in
            defer {
                state.items = fresh
                state.resourceVersion = list.metadata.resourceVersion
            }
            return state.items
        }
        for (key, item) in fresh {
            if let before = old[key] {
                if before.metadata.resourceVersion != item.metadata.resourceVersion {
                    deliver(.updated(old: before, new: item))
                }
            } else {
                deliver(.added(item))
            }
        }
        for (key, item) in old where fresh[key] == nil { deliver(.deleted(item)) }
        deliver(.synced)
        let waiters = state.withLock { state in
            state.synced = true
            defer { state.syncWaiters.removeAll() }
            return Array(state.syncWaiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Watches from the last resourceVersion, again each time the server ends a
    /// watch, until it answers 410 (returns) or fails otherwise (throws).
    private func watchUntilGone() async throws(ClientError) {
        while !Task.isCancelled {
            var options = options
            options.resourceVersion = state.withLock { $0.resourceVersion }
            options.allowWatchBookmarks = true
            options.timeoutSeconds = Int.random(in: 300...600)
            let events: AsyncThrowingStream<WatchEvent<T>, any Error>
            do {
                events = try await client.watch(T.self, namespace: namespace, options: options)
            } catch {
                if error.isGone { return }
                throw error
            }
            do {
                for try await event in events {
                    if case .error(let error) = event {
                        if error.isGone { return }
                        throw error
                    }
                    apply(event)
                }
            } catch {
                throw (error as? ClientError) ?? .transport("\(error)")
            }
        }
    }

    private func apply(_ event: WatchEvent<T>) {
        switch event {
        case .added(let object), .modified(let object):
            let key = Self.key(of: object)
            let old = state.withLock { state in
                defer {
                    state.items[key] = object
                    state.resourceVersion = object.metadata.resourceVersion
                }
                return state.items[key]
            }
            deliver(old.map { .updated(old: $0, new: object) } ?? .added(object))
        case .deleted(let object):
            let key = Self.key(of: object)
            let old = state.withLock { state in
                defer { state.resourceVersion = object.metadata.resourceVersion }
                return state.items.removeValue(forKey: key)
            }
            deliver(.deleted(old ?? object))
        case .bookmark(let resourceVersion):
            state.withLock { $0.resourceVersion = resourceVersion }
        case .error:
            break
        }
    }

    private func deliver(_ event: InformerEvent<T>) {
        let (handlers, streams) = state.withLock { ($0.handlers, $0.streams) }
        for handler in handlers { handler(event) }
        for stream in streams { stream.yield(event) }
    }
}
