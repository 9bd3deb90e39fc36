import Foundation
import NIOConcurrencyHelpers
import Synchronization

extension EtcdStore {
    public func watch(_ range: KeyRange, fromRevision: Int64) async throws -> WatchStream {
        guard !watches.withLock({ $0.closed }) else { throw StoreError.closed }
        let from = max(fromRevision, 1)
        try await checkWatchable(from: from)
        // etcd sends history and live events alike, so the hub only buffers (up
        // to the backlog limit) between etcd's stream and the consumer.
        let hub = WatchHub(lastPublished: from - 1, backlogLimit: backlogLimit)
        let (subscription, _) = try hub.subscribe(range, fromRevision: from)
        let watch = EtcdWatch(hub: hub)
        guard watches.withLock({ $0.add(watch) }) else {
            hub.close()
            throw StoreError.closed
        }
        hub.onUnsubscribe { [weak self, weak watch] in
            guard let watch else { return }
            watch.stop()
            self?.watches.withLock { $0.remove(watch) }
        }
        watch.start(Task { await self.follow(watch, range: range, from: from) })
        return WatchStream(live: subscription)
    }

    /// Live watches; for tests.
    var watcherCount: Int { watches.withLock { $0.count } }

    /// Feeds `watch` from an etcd watch until its subscriber goes, etcd ends the
    /// watch, or the connection breaks; then ends the subscriber with the reason.
    private func follow(_ watch: EtcdWatch, range: KeyRange, from: Int64) async {
        let (key, end) = range.etcdBounds
        let request = EtcdWatchCreateRequest(key: key, rangeEnd: end, startRevision: from, prevKV: true)
        // The newest revision handed on; updated on the connection's event loop.
        let published = NIOLockedValueBox<Int64>(from - 1)
        var failure: StoreError?
        do {
            try await client.watch(request, timeout: nil) { [self] response in
                let last = published.withLockedValue { $0 }
                if response.compactRevision > 0 {
                    recordCompaction(response.compactRevision)
                    throw StoreError.compacted(
                        requested: last + 1, compactRevision: Self.storeCompactRevision(etcd: response.compactRevision))
                }
                if response.canceled {
                    throw StoreError(.storage, "etcd cancelled the watch on \(range): \(response.cancelReason)")
                }
                // etcd sends each revision once, in order; the filter only guards the hub's invariant.
                let events = response.events.filter { $0.kv.modRevision > last }.map(WatchEvent.init)
                if let newest = events.last?.revision {
                    watch.hub.publish(events, through: newest)
                    published.withLockedValue { $0 = newest }
                }
                return watch.hub.subscriberCount > 0
            }
            let last = published.withLockedValue { $0 }
            if !Task.isCancelled && watch.hub.subscriberCount > 0 {
                failure = StoreError(.unavailable, "etcd ended the watch on \(range) at revision \(last)")
            }
        } catch let error as StoreError {
            failure = error
        } catch {
            if !Task.isCancelled, let error = StoreError.etcd(error, "the watch on \(range)") as? StoreError {
                failure = error
            }
        }
        if let failure {
            logger.debug("etcd watch ended", metadata: ["range": "\(range)", "error": "\(failure)"])
            watch.hub.failAll(failure, advancingTo: published.withLockedValue { $0 })
        }
        watches.withLock { $0.remove(watch) }
    }
}

/// One store watch: an etcd watch on an HTTP/2 stream of its own, feeding a hub
/// with one subscriber. Stopping it cancels the task, which closes the stream,
/// and etcd drops the watch.
final class EtcdWatch: Sendable {
    let hub: WatchHub
    private let task = Mutex<(task: Task<Void, Never>?, stopped: Bool)>((nil, false))

    init(hub: WatchHub) {
        self.hub = hub
    }

    func start(_ follower: Task<Void, Never>) {
        let stopped = task.withLock { state in
            state.task = follower
            return state.stopped
        }
        if stopped { follower.cancel() }
    }

    func stop() {
        let follower = task.withLock { state in
            state.stopped = true
            return state.task
        }
        follower?.cancel()
    }

    /// Ends the subscriber with `error` (``StoreError/Code/closed``: as the store closes) and stops.
    func end(_ error: StoreError) {
        if error.code == .closed { hub.close() } else { hub.failAll(error, advancingTo: hub.lastPublished) }
        stop()
    }
}

/// The live watches of one store.
struct EtcdWatchRegistry {
    private var active: [ObjectIdentifier: EtcdWatch] = [:]
    private(set) var closed = false

    var count: Int { active.count }

    /// Registers `watch`; false once the store is closed.
    mutating func add(_ watch: EtcdWatch) -> Bool {
        guard !closed else { return false }
        active[ObjectIdentifier(watch)] = watch
        return true
    }

    mutating func remove(_ watch: EtcdWatch) {
        active[ObjectIdentifier(watch)] = nil
    }

    /// Refuses new watches; returns the live ones, to end.
    mutating func close() -> [EtcdWatch] {
        closed = true
        defer { active = [:] }
        return Array(active.values)
    }
}

extension WatchEvent {
    /// An etcd event as the protocol describes it: a delete carries the deleted
    /// version's value and create revision, with the delete's revision.
    init(_ event: EtcdEvent) {
        let previous = event.prevKV.map(KeyValue.init)
        switch event.type {
        case .put:
            self.init(type: .put, kv: KeyValue(event.kv), prevKV: previous)
        case .delete:
            let kv = KeyValue(
                key: String(decoding: event.kv.key, as: UTF8.self), value: previous?.value ?? Data(),
                createRevision: previous?.createRevision ?? 0, modRevision: event.kv.modRevision)
            self.init(type: .delete, kv: kv, prevKV: previous)
        }
    }
}
