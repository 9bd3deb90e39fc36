import Foundation
import Logging
import SkiffAPI
import SkiffStore
import Synchronization

/// The API server's cache of one resource (upstream's cacher): it lists the
/// store prefix `/registry/<resource>/`, follows it with a store watch, and serves
/// every `?watch=true` of that resource, and `resourceVersion=0` lists and gets,
/// from memory, with upstream's resourceVersion semantics.
///
/// It keeps the current objects (JSON ready to send, labels, selectable fields)
/// and a history of recent changes, so a watch from resourceVersion N replays
/// the changes after N, or gets 410 Expired when they are gone. Slow watchers
/// are ended rather than waited for, and a store watch that ends is resumed, or
/// replaced by a re-list when the store compacted the history in between.
///
/// Create one per resource, call ``start()``, and ``stop()`` at shutdown.
///
/// Serving `?watch=true`: call ``watch(namespace:labelSelector:fieldSelector:resourceVersion:allowBookmarks:sendInitialEvents:)``
/// first; an ``APIError`` it throws is an ordinary error response. Otherwise
/// answer 200 (`Content-Type: application/json`, chunked) and write each event's
/// ``Event/line`` and flush, until the stream ends, then end the response. A
/// resourceVersion too old is not thrown: the stream's only event is then an
/// ERROR with the 410 Status, after the 200, as upstream does for watches (for
/// lists, answer 410 itself). For `timeoutSeconds`, cancel the task that reads
/// the stream when it runs out.
public final class WatchCache: Sendable {
    /// The kind this cache holds.
    public let type: any APIObject.Type
    public let configuration: Configuration

    typealias WatchSource = @Sendable (KeyRange, Int64) async throws -> any AsyncSequence<WatchEvent, any Error>

    let store: any Store
    /// Opens the store watch; tests put a source in between to end it at will.
    let source: WatchSource
    let keyPrefix: String
    let state: Mutex<CacheState>
    let tasks = Mutex<[Task<Void, Never>]>([])
    let logger: Logger

    /// A cache of `type`'s objects in `store`; it does nothing until ``start()``.
    public convenience init(
        store: any Store, type: any APIObject.Type, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "skiff.watchcache")
    ) {
        self.init(store: store, type: type, configuration: configuration, logger: logger) { range, revision in
            try await store.watch(range, fromRevision: revision)
        }
    }

    init(
        store: any Store, type: any APIObject.Type, configuration: Configuration, logger: Logger,
        source: @escaping WatchSource
    ) {
        self.store = store
        self.type = type
        self.configuration = configuration
        self.source = source
        keyPrefix = RegistryKey.prefix(of: type)
        var logger = logger
        logger[metadataKey: "resource"] = "\(type.resource)"
        self.logger = logger
        let history = EventHistory(
            capacity: configuration.historyCapacity, maximumCapacity: configuration.maximumHistoryCapacity,
            freshness: configuration.historyFreshness, listRevision: 0)
        state = Mutex(CacheState(history: history))
    }

    /// Starts listing and watching the store, and sending bookmarks. Requests
    /// made before the first list completes wait for it.
    public func start() {
        tasks.withLock { tasks in
            guard tasks.isEmpty else { return }
            tasks.append(Task { await self.reflect() })
            tasks.append(Task { await self.sendBookmarks() })
        }
    }

    /// Stops following the store and ends every watch (their streams finish).
    public func stop() async {
        let running = tasks.withLock { $0 }
        for task in running { task.cancel() }
        for task in running { await task.value }
        shutDown()
    }

    /// The newest revision the cache reflects: the `resourceVersion` of a list
    /// served from it. 0 before the first list.
    public var resourceVersion: Int64 {
        state.withLock { $0.revision }
    }

    // MARK: - Waiting

    /// Waits until the first list is in.
    /// - Throws: 429 "storage is (re)initializing" after
    ///   ``Configuration/readinessTimeout``; 503 when the cache is stopped.
    public func waitUntilReady() async throws {
        try await wait(for: 0, timeout: configuration.readinessTimeout) { _ in
            var details = StatusDetails()
            details.retryAfterSeconds = 1
            return APIError(
                code: 429, reason: "TooManyRequests", message: "storage is (re)initializing", details: details)
        }
    }

    /// Waits until the cache reflects `revision`, e.g. the revision of a write
    /// just made, before a read that must see it.
    ///
    /// The cache learns of a revision only through a change to its own
    /// resource (the store sends no progress notifications), so wait only for
    /// revisions of writes to this resource.
    /// - Throws: 504 "Too large resource version: N, current: M" after
    ///   ``Configuration/freshnessTimeout``; 503 when the cache is stopped.
    public func waitUntilFresh(_ revision: Int64) async throws {
        try await wait(for: revision, timeout: configuration.freshnessTimeout) { current in
            var details = StatusDetails()
            details.retryAfterSeconds = 1
            return APIError(
                code: 504, reason: "Timeout", message: "Too large resource version: \(revision), current: \(current)",
                details: details)
        }
    }

    // MARK: - Reads

    /// Objects at the cache's current revision, as `resourceVersion=0` lists
    /// are served.
    public struct ListResult: Sendable {
        /// The matching objects' JSON, sorted by key (namespace, then name),
        /// each with its own metadata.resourceVersion.
        public var objects: [[UInt8]]
        /// The list's resourceVersion (ListMeta.resourceVersion).
        public var resourceVersion: Int64
    }

    /// Lists the objects in `namespace` (nil: all) that match both selectors.
    public func list(
        namespace: String? = nil, labelSelector: Labels.Selector = .everything,
        fieldSelector: Fields.Selector = .everything
    ) async throws -> ListResult {
        try await waitUntilReady()
        // Copying the dictionary is O(1) (copy on write), so the sort and the
        // filtering happen outside the lock.
        let (objects, revision) = state.withLock { ($0.objects, $0.revision) }
        let filter = WatchFilter(
            keyPrefix: RegistryKey.prefix(of: type, namespace: namespace), labels: labelSelector,
            fields: fieldSelector)
        let matching = Self.sorted(objects, matching: filter).map(\.bytes)
        return ListResult(objects: matching, resourceVersion: revision)
    }

    /// One object's JSON at the cache's current revision, nil if it does not
    /// exist, as a `resourceVersion=0` get is served.
    public func get(namespace: String?, name: String) async throws -> [UInt8]? {
        try await waitUntilReady()
        let key = RegistryKey(type: type, namespace: namespace, name: name).description
        return state.withLock { $0.objects[key]?.bytes }
    }

    /// The objects `filter` matches, sorted by key bytes as the store orders keys.
    /// Filtering first keeps a namespace's list from sorting the whole resource,
    /// and the keys compare with memcmp: the generic `UTF8View` comparison
    /// dominated `resourceVersion=0` lists of 1,000 pods among 10,000.
    static func sorted(_ objects: [String: CachedObject], matching filter: WatchFilter) -> [CachedObject] {
        objects.values.filter(filter.matches).sorted { keyPrecedes($0.key, $1.key) }
    }

    static func keyPrecedes(_ left: String, _ right: String) -> Bool {
        var left = left
        var right = right
        return left.withUTF8 { a in
            right.withUTF8 { b in
                let common = min(a.count, b.count)
                let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
                return order != 0 ? order < 0 : a.count < b.count
            }
        }
    }

    // MARK: - Internals

    private func wait(
        for revision: Int64, timeout: Duration, timeoutError: @escaping @Sendable (Int64) -> APIError
    ) async throws {
        let id = state.withLock { $0.makeID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    switch state.phase {
                    case .stopped:
                        return .failure(stoppedError)
                    case .ready where state.revision >= revision:
                        return .success(())
                    default:
                        if Task.isCancelled { return .failure(CancellationError()) }
                        state.waiters[id] = CacheState.Waiter(revision: revision, continuation: continuation)
                        return nil
                    }
                }
                if let outcome {
                    continuation.resume(with: outcome)
                    return
                }
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    self?.endWait(id) { timeoutError($0) }
                }
            }
        } onCancel: {
            endWait(id) { _ in CancellationError() }
        }
    }

    /// Fails a waiter that is still waiting.
    private func endWait(_ id: Int, with error: (Int64) -> any Error) {
        let ended = state.withLock { state in
            state.waiters.removeValue(forKey: id).map { ($0.continuation, state.revision) }
        }
        if let (continuation, current) = ended { continuation.resume(throwing: error(current)) }
    }

    var stoppedError: APIError {
        APIError(code: 503, reason: "ServiceUnavailable", message: "the watch cache of \(type.resource) is stopped")
    }

    /// Ends every watch and fails every waiter; later requests get 503.
    func shutDown() {
        let (wakes, failed) = state.withLock { $0.stop() }
        for wake in wakes { wake.resume() }
        for continuation in failed { continuation.resume(throwing: stoppedError) }
    }
}
