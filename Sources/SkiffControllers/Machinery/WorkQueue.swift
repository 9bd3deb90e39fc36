import Synchronization

/// A work queue of keys as client-go's workqueue: a key added several times
/// before a worker takes it is processed once; a key is never processed by two
/// workers at once (one added while being processed is queued again when the
/// worker calls ``done(_:)``); failed keys come back after a per-key exponential
/// backoff (``addRateLimited(_:)``) until ``forget(_:)``. After
/// ``shutDown()``, ``next()`` drains nothing more and returns nil.
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    private struct State {
        var queue: [Key] = []
        var head = 0
        var dirty: Set<Key> = []
        var processing: Set<Key> = []
        var waiters: [CheckedContinuation<Key?, Never>] = []
        var failures: [Key: Int] = [:]
        var delayed: [Int: Task<Void, Never>] = [:]
        var nextDelayed = 0
        var shuttingDown = false

        mutating func pop() -> Key? {
            guard head < queue.count else { return nil }
            let key = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            dirty.remove(key)
            processing.insert(key)
            return key
        }

        /// Queues a dirty key that is not being processed; returns a waiter to hand it to.
        mutating func enqueue(_ key: Key) -> CheckedContinuation<Key?, Never>? {
            if !waiters.isEmpty {
                dirty.remove(key)
                processing.insert(key)
                return waiters.removeFirst()
            }
            queue.append(key)
            return nil
        }
    }

    private let state = Mutex(State())
    public let backoff: ExponentialBackoff

    public init(backoff: ExponentialBackoff = ExponentialBackoff()) {
        self.backoff = backoff
    }

    /// Queues `key` unless it is already waiting.
    public func add(_ key: Key) {
        let waiter = state.withLock { state -> CheckedContinuation<Key?, Never>? in
            guard !state.shuttingDown, !state.dirty.contains(key) else { return nil }
            state.dirty.insert(key)
            if state.processing.contains(key) { return nil }
            return state.enqueue(key)
        }
        waiter?.resume(returning: key)
    }

    /// Queues `key` once `delay` has passed.
    public func add(_ key: Key, after delay: Duration) {
        guard delay > .zero else { return add(key) }
        state.withLock { state in
            guard !state.shuttingDown else { return }
            let id = state.nextDelayed
            state.nextDelayed += 1
            state.delayed[id] = Task { [weak self] in
                try? await Task.sleep(for: delay)
                guard let self, !Task.isCancelled else { return }
                self.state.withLock { _ = $0.delayed.removeValue(forKey: id) }
                self.add(key)
            }
        }
    }

    /// Queues `key` after its backoff, and counts one more failure for it.
    public func addRateLimited(_ key: Key) {
        let failures = state.withLock { state in
            defer { state.failures[key, default: 0] += 1 }
            return state.failures[key] ?? 0
        }
        add(key, after: backoff.delay(afterFailures: failures))
    }

    /// Clears the key's failures: its next retry waits the shortest backoff.
    public func forget(_ key: Key) {
        state.withLock { _ = $0.failures.removeValue(forKey: key) }
    }

    /// How many times the key has been retried since it was last forgotten.
    public func retries(_ key: Key) -> Int {
        state.withLock { $0.failures[key] ?? 0 }
    }

    /// The next key to process, waiting for one; nil once the queue is shut down.
    /// Call ``done(_:)`` when finished with it.
    public func next() async -> Key? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Key?? in
                if let key = state.pop() { return .some(key) }
                if state.shuttingDown { return .some(nil) }
                state.waiters.append(continuation)
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Marks `key` processed; if it was added meanwhile, it is queued again.
    public func done(_ key: Key) {
        let waiter = state.withLock { state -> CheckedContinuation<Key?, Never>? in
            state.processing.remove(key)
            guard state.dirty.contains(key), !state.shuttingDown else { return nil }
            return state.enqueue(key)
        }
        waiter?.resume(returning: key)
    }

    /// Stops the queue: waiting and later ``next()`` calls return nil, delayed adds are dropped.
    public func shutDown() {
        let (waiters, delayed) = state.withLock { state in
            state.shuttingDown = true
            defer {
                state.waiters.removeAll()
                state.delayed.removeAll()
            }
            return (state.waiters, Array(state.delayed.values))
        }
        delayed.forEach { $0.cancel() }
        waiters.forEach { $0.resume(returning: nil) }
    }

    /// Keys waiting to be processed (not counting delayed ones).
    public var count: Int { state.withLock { $0.queue.count - $0.head } }
}
