import SkiffAPI

extension WatchCache {
    /// Starts a watch of this resource.
    ///
    /// - `resourceVersion` unset or "0" (upstream: "most recent" and "any"): an
    ///   ADDED event for every matching object at the cache's current revision,
    ///   then every change after it. With `sendInitialEvents: false`, only the
    ///   changes.
    /// - `resourceVersion` N: every change after N. If the cache no longer holds
    ///   them all, the stream's first and only event is an ERROR carrying a 410
    ///   Expired Status ("too old resource version: N (M)"), which the client
    ///   answers with a re-list. N ahead of the cache waits for it.
    /// - `sendInitialEvents: true` (the router checks that
    ///   resourceVersionMatch=NotOlderThan): waits until the cache reflects N (if
    ///   given), sends the current objects as ADDED, then a BOOKMARK annotated
    ///   `k8s.io/initial-events-end: "true"` at their revision, then changes.
    ///
    /// An update that makes an object match the selectors arrives as ADDED, one
    /// that makes it stop matching as DELETED. Every object carries the event's
    /// revision as metadata.resourceVersion. With `allowBookmarks`, a BOOKMARK
    /// goes out every ``Configuration/bookmarkInterval`` when the cache moved past
    /// the last event sent.
    ///
    /// The stream ends when the consumer falls ``Configuration/watcherBufferSize``
    /// events behind, when its task is cancelled, or when the cache stops; after
    /// a gap in the cache's own view of the store it ends with a 410 ERROR.
    ///
    /// - Throws: ``APIError`` 400 for a malformed resourceVersion, 429 before
    ///   the first list is in, 504 when a `sendInitialEvents` watch waits too
    ///   long for N, 503 when the cache is stopped.
    public func watch(
        namespace: String? = nil, labelSelector: Labels.Selector = .everything,
        fieldSelector: Fields.Selector = .everything, resourceVersion: String? = nil,
        allowBookmarks: Bool = false, sendInitialEvents: Bool? = nil
    ) async throws -> Stream {
        let requested = try Self.parse(resourceVersion: resourceVersion)
        try await waitUntilReady()
        if sendInitialEvents == true, requested > 0 { try await waitUntilFresh(requested) }

        let start: Start
        if sendInitialEvents == true {
            start = .snapshot(initialEventsEnd: true)
        } else if requested > 0 {
            start = .after(requested)
        } else if sendInitialEvents == false {
            start = .now
        } else {
            start = .snapshot(initialEventsEnd: false)
        }
        let filter = WatchFilter(
            keyPrefix: RegistryKey.prefix(of: type, namespace: namespace), labels: labelSelector,
            fields: fieldSelector)
        let registration = state.withLock { state in
            register(in: &state, filter: filter, start: start, allowBookmarks: allowBookmarks)
        }
        switch registration {
        case .stopped:
            throw stoppedError
        case .expired(let error):
            let watcher = Watcher(id: 0, filter: filter, allowBookmarks: false, capacity: 1, backlog: [], position: 0)
            _ = watcher.close(with: .error(error))
            return Stream(subscription: Subscription(watcher: watcher, forget: { _ in }))
        case .watching(let watcher, let snapshot):
            if let snapshot {
                var backlog = Self.sorted(snapshot.objects, matching: filter).map {
                    Event(type: .added, object: $0.bytes, resourceVersion: $0.revision)
                }
                if case .snapshot(initialEventsEnd: true) = start {
                    backlog.append(.bookmark(type, revision: snapshot.revision, initialEventsEnd: true))
                }
                watcher.startWith(backlog)
            }
            return Stream(subscription: Subscription(watcher: watcher) { [weak self] id in self?.forget(id) })
        }
    }

    /// The events of one watch, in order. Iterate it from one task; cancelling
    /// that task, or dropping the stream, ends the watch.
    public struct Stream: AsyncSequence, Sendable {
        public typealias Element = Event
        public typealias Failure = Never

        let subscription: Subscription

        public func makeAsyncIterator() -> Iterator {
            Iterator(subscription: subscription)
        }

        public struct Iterator: AsyncIteratorProtocol {
            public typealias Element = Event
            public typealias Failure = Never

            let subscription: Subscription

            /// The next event, or nil when the watch is over.
            public mutating func next() async -> Event? {
                await subscription.next()
            }
        }
    }

    /// Where a new watch starts.
    enum Start {
        /// The current objects as ADDED, optionally closed by the
        /// initial-events-end bookmark, then changes.
        case snapshot(initialEventsEnd: Bool)
        /// The changes after a resourceVersion.
        case after(Int64)
        /// Only changes from now on.
        case now
    }

    enum Registration {
        case watching(Watcher, snapshot: (objects: [String: CachedObject], revision: Int64)?)
        case expired(APIError)
        case stopped
    }

    /// Registers a watcher against the state under the lock, so that it misses
    /// no change and sees none twice: what it starts with reflects `state` up to
    /// its revision, and every later change is offered to it.
    private func register(
        in state: inout CacheState, filter: WatchFilter, start: Start, allowBookmarks: Bool
    ) -> Registration {
        guard state.phase == .ready else { return .stopped }
        var backlog: [Event] = []
        var position = state.revision
        var snapshot: (objects: [String: CachedObject], revision: Int64)?
        switch start {
        case .snapshot:
            snapshot = (state.objects, state.revision)
        case .now:
            break
        case .after(let requested):
            guard let changes = state.history.events(after: requested) else {
                return .expired(.expired(requested: requested, oldest: state.history.oldestServable))
            }
            backlog = changes.compactMap(filter.event)
            position = max(requested, backlog.last?.resourceVersion ?? requested)
        }
        let watcher = Watcher(
            id: state.makeID(), filter: filter, allowBookmarks: allowBookmarks,
            capacity: configuration.watcherBufferSize, backlog: backlog, position: position)
        state.watchers[watcher.id] = watcher
        return .watching(watcher, snapshot: snapshot)
    }

    /// Drops a watcher whose consumer went away.
    func forget(_ id: Int) {
        _ = state.withLock { $0.watchers.removeValue(forKey: id) }
    }

    /// Number of registered watchers; for tests.
    var watcherCount: Int {
        state.withLock { $0.watchers.count }
    }

    /// "" and nil are unset (0); otherwise a non-negative integer.
    static func parse(resourceVersion: String?) throws -> Int64 {
        guard let text = resourceVersion, !text.isEmpty else { return 0 }
        guard let value = Int64(text), value >= 0 else {
            throw APIError.badRequest("invalid resource version \"\(text)\"")
        }
        return value
    }
}

/// The consumer's hold on a watcher: when it goes away, so does the watch.
final class Subscription: Sendable {
    let watcher: Watcher
    private let forget: @Sendable (Int) -> Void

    init(watcher: Watcher, forget: @escaping @Sendable (Int) -> Void) {
        self.watcher = watcher
        self.forget = forget
    }

    deinit {
        watcher.cancel()
        forget(watcher.id)
    }

    func next() async -> WatchCache.Event? {
        let event = await watcher.next()
        if event == nil { forget(watcher.id) }
        return event
    }
}
