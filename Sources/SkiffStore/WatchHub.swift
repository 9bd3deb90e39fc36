import Foundation
import Synchronization

/// Fans committed events out to watchers, in revision order. Shared by both
/// backends: the backend publishes each revision once, in order; a watcher
/// subscribes under the same lock, so it learns exactly which revisions it must
/// replay from history (≤ ``lastPublished``) and which will reach it live.
final class WatchHub: Sendable {
    private struct State {
        var lastPublished: Int64
        var subscribers: [ObjectIdentifier: WatchSubscription] = [:]
        var closed = false
        var onUnsubscribe: (@Sendable () -> Void)?
    }

    private let state: Mutex<State>
    let backlogLimit: Int

    init(lastPublished: Int64, backlogLimit: Int) {
        state = Mutex(State(lastPublished: lastPublished))
        self.backlogLimit = backlogLimit
    }

    /// The newest revision handed to watchers.
    var lastPublished: Int64 { state.withLock { $0.lastPublished } }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Registers a watcher.
    /// - Returns: the subscription and the revision up to which the watcher must
    ///   replay history itself; every later event arrives through the subscription.
    func subscribe(_ range: KeyRange, fromRevision: Int64) throws(StoreError) -> (WatchSubscription, replayThrough: Int64) {
        let subscription = WatchSubscription(range: range, fromRevision: fromRevision, backlogLimit: backlogLimit, hub: self)
        let through: Int64? = state.withLock { state in
            guard !state.closed else { return nil }
            state.subscribers[ObjectIdentifier(subscription)] = subscription
            return state.lastPublished
        }
        guard let through else { throw StoreError.closed }
        return (subscription, through)
    }

    /// Hands `events` (sorted, all newer than ``lastPublished``) to every watcher
    /// and records that everything up to `revision` has been published.
    func publish(_ events: [WatchEvent], through revision: Int64) {
        var wakeups: [WatchSubscription.Wakeup] = []
        state.withLock { state in
            precondition(events.allSatisfy { $0.revision > state.lastPublished }, "events published twice")
            state.lastPublished = max(state.lastPublished, revision)
            for (id, subscriber) in state.subscribers {
                let (wakeup, alive) = subscriber.deliver(events)
                if let wakeup { wakeups.append(wakeup) }
                if !alive { state.subscribers[id] = nil }
            }
        }
        wakeups.forEach { $0.resume() }
    }

    /// Moves ``lastPublished`` to `revision` without reading the events, if nobody
    /// is watching. Checked and done under the lock, so no watcher can slip in
    /// between and miss events.
    func advanceIfIdle(to revision: Int64) -> Bool {
        state.withLock { state in
            guard state.subscribers.isEmpty else { return false }
            state.lastPublished = max(state.lastPublished, revision)
            return true
        }
    }

    /// Ends every watcher with `error` and moves ``lastPublished`` to `revision`;
    /// used when history a watcher still needed was compacted by another process.
    func failAll(_ error: StoreError, advancingTo revision: Int64) {
        let ended = state.withLock { state in
            state.lastPublished = max(state.lastPublished, revision)
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        ended.forEach { $0.end(.failure(error)) }
    }

    /// Ends every watcher with ``StoreError/Code/closed`` and refuses new ones.
    func close() {
        let ended = state.withLock { state in
            state.closed = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        ended.forEach { $0.end(.failure(.closed)) }
    }

    /// Runs `action` each time a subscriber ends by its own doing (its consumer
    /// was cancelled or dropped the stream), not when the hub ends it.
    func onUnsubscribe(_ action: @escaping @Sendable () -> Void) {
        state.withLock { $0.onUnsubscribe = action }
    }

    func remove(_ subscription: WatchSubscription) {
        let action = state.withLock { state in
            state.subscribers.removeValue(forKey: ObjectIdentifier(subscription)) == nil ? nil : state.onUnsubscribe
        }
        action?()
    }
}

/// One watcher's queue of live events, bounded by the backlog limit.
final class WatchSubscription: Sendable {
    /// A waiting consumer to resume once the lock is released.
    struct Wakeup {
        let continuation: CheckedContinuation<WatchEvent?, any Error>
        let result: Result<WatchEvent?, StoreError>
        func resume() { continuation.resume(with: result.mapError { $0 as any Error }) }
    }

    private struct State {
        var buffer: [WatchEvent] = []
        var head = 0
        var waiter: CheckedContinuation<WatchEvent?, any Error>?
        /// Set once the subscription is over: success = ended quietly.
        var end: Result<Void, StoreError>?

        var pending: Int { buffer.count - head }

        mutating func pop() -> WatchEvent? {
            guard head < buffer.count else { return nil }
            let event = buffer[head]
            head += 1
            if head == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024 && head * 2 >= buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return event
        }
    }

    let range: KeyRange
    let fromRevision: Int64
    private let backlogLimit: Int
    private let hub: WatchHub
    private let state = Mutex(State())

    init(range: KeyRange, fromRevision: Int64, backlogLimit: Int, hub: WatchHub) {
        self.range = range
        self.fromRevision = fromRevision
        self.backlogLimit = backlogLimit
        self.hub = hub
    }

    /// Called by the hub under its lock.
    /// - Returns: a consumer to wake, and false once the subscription is over.
    fileprivate func deliver(_ events: [WatchEvent]) -> (Wakeup?, alive: Bool) {
        state.withLock { state in
            guard state.end == nil else { return (nil, false) }
            for event in events where event.revision >= fromRevision && range.contains(event.kv.key) {
                state.buffer.append(event)
            }
            if state.pending > backlogLimit {
                let error = StoreError(
                    .watcherTooSlow,
                    "watcher on \(range) fell more than \(backlogLimit) events behind and was ended")
                state.end = .failure(error)
                state.buffer = []
                state.head = 0
                if let waiter = state.waiter.take() {
                    return (Wakeup(continuation: waiter, result: .failure(error)), false)
                }
                return (nil, false)
            }
            if let waiter = state.waiter, let event = state.pop() {
                state.waiter = nil
                return (Wakeup(continuation: waiter, result: .success(event)), true)
            }
            return (nil, true)
        }
    }

    /// Ends the subscription; the consumer sees the end after nothing else
    /// (buffered events are dropped).
    func end(_ result: Result<Void, StoreError>) {
        let wakeup: Wakeup? = state.withLock { state in
            guard state.end == nil else { return nil }
            state.end = result
            state.buffer = []
            state.head = 0
            guard let waiter = state.waiter.take() else { return nil }
            switch result {
            case .success: return Wakeup(continuation: waiter, result: .success(nil))
            case .failure(let error): return Wakeup(continuation: waiter, result: .failure(error))
            }
        }
        wakeup?.resume()
        hub.remove(self)
    }

    /// The next live event; nil once ended quietly or cancelled.
    func next() async throws -> WatchEvent? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WatchEvent?, any Error>) in
                let wakeup: Wakeup? = state.withLock { state in
                    if let event = state.pop() {
                        return Wakeup(continuation: continuation, result: .success(event))
                    }
                    switch state.end {
                    case .success: return Wakeup(continuation: continuation, result: .success(nil))
                    case .failure(let error): return Wakeup(continuation: continuation, result: .failure(error))
                    case nil:
                        guard state.waiter == nil else {
                            let error = StoreError(.invalidArgument, "a watch stream has one consumer and is already being iterated")
                            return Wakeup(continuation: continuation, result: .failure(error))
                        }
                        state.waiter = continuation
                        return nil
                    }
                }
                wakeup?.resume()
            }
        } onCancel: {
            end(.success(()))
        }
    }
}
