import Synchronization

/// Pods waiting to be scheduled, as upstream's PriorityQueue keeps them:
/// - **active**: ready now, popped highest priority first, then oldest;
/// - **backoff**: failed recently, ready again after 1 s doubling per attempt up to 10 s;
/// - **unschedulable**: fit no node; they wait for a cluster change
///   (``moveAllToActiveOrBackoff()``), or at most `unschedulableTimeout`.
/// A change that arrives while a pod is being scheduled is not lost: a pod that
/// then fails goes to backoff rather than to unschedulable.
public final class SchedulingQueue: Sendable {
    public struct Entry: Sendable {
        public var pod: PodInfo
        public var attempts = 0
        /// The cycle in which the pod was last popped.
        var cycle = 0
        var readyAt = ContinuousClock.now
        var parkedAt = ContinuousClock.now
        let order: Order
    }

    /// Priority (higher first), then creation time and arrival (older first).
    struct Order: Comparable, Sendable {
        var priority: Int32
        var created: Int64
        var sequence: Int

        static func < (lhs: Order, rhs: Order) -> Bool {
            if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
            if lhs.created != rhs.created { return lhs.created < rhs.created }
            return lhs.sequence < rhs.sequence
        }
    }

    private struct State {
        var active: [String: Entry] = [:]
        var heap = Heap()
        var backoff: [String: Entry] = [:]
        var unschedulable: [String: Entry] = [:]
        /// Popped and not yet done, with the newest version of the pod if it changed meanwhile.
        var inFlight: [String: PodInfo?] = [:]
        var cycle = 0
        var moveRequestCycle = -1
        var sequence = 0
        var waiter: CheckedContinuation<Entry?, Never>?
        var closed = false
    }

    public let initialBackoff: Duration
    public let maximumBackoff: Duration
    public let unschedulableTimeout: Duration
    private let state = Mutex(State())

    public init(
        initialBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(10),
        unschedulableTimeout: Duration = .seconds(300)
    ) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.unschedulableTimeout = unschedulableTimeout
    }

    /// A pod to schedule, new or changed. A changed pod waiting in backoff or
    /// unschedulable is retried (once its backoff is over) when
    /// `requeueIfWaiting`; otherwise it only gets the new version.
    public func add(_ pod: PodInfo, requeueIfWaiting: Bool = true) {
        let key = pod.key
        let wake = state.withLock { state -> (CheckedContinuation<Entry?, Never>, Entry)? in
            if state.closed { return nil }
            if state.inFlight[key] != nil {
                state.inFlight[key] = pod
                return nil
            }
            if var entry = state.active[key] {
                entry.pod = pod
                state.active[key] = entry
                return nil
            }
            if !requeueIfWaiting {
                if state.backoff[key] != nil { state.backoff[key]!.pod = pod; return nil }
                if state.unschedulable[key] != nil { state.unschedulable[key]!.pod = pod; return nil }
            }
            if var entry = state.backoff.removeValue(forKey: key) ?? state.unschedulable.removeValue(forKey: key) {
                // A change to the pod may make it fit: retry once its backoff is over.
                entry.pod = pod
                if entry.readyAt > .now {
                    state.backoff[key] = entry
                    return nil
                }
                return Self.activate(entry, &state)
            }
            state.sequence += 1
            let created = pod.pod.metadata.creationTimestamp?.nanosecondsSinceEpoch ?? 0
            let entry = Entry(pod: pod, order: Order(priority: pod.priority, created: created, sequence: state.sequence))
            return Self.activate(entry, &state)
        }
        if let (waiter, entry) = wake { waiter.resume(returning: entry) }
    }

    /// The pod was deleted, or bound by someone else.
    public func remove(_ key: String) {
        state.withLock { state in
            state.active[key] = nil
            state.backoff[key] = nil
            state.unschedulable[key] = nil
            if state.inFlight[key] != nil { state.inFlight[key] = .some(nil) }
        }
    }

    /// Waits for the next pod; nil once the queue is closed.
    public func pop() async -> Entry? {
        await withCheckedContinuation { continuation in
            let entry = state.withLock { state -> Entry?? in
                if state.closed { return .some(nil) }
                if let entry = Self.takeActive(&state) { return .some(entry) }
                state.waiter = continuation
                return nil
            }
            if let entry { continuation.resume(returning: entry) }
        }
    }

    /// Ends a cycle that bound (or assumed) the pod.
    public func done(_ key: String) {
        state.withLock { _ = $0.inFlight.removeValue(forKey: key) }
    }

    /// Ends a cycle in which the pod fit no node: it waits for a cluster change,
    /// or, if one came during the cycle, backs off and tries again.
    public func unschedulable(_ entry: Entry) {
        requeue(entry, parked: true)
    }

    /// Ends a cycle that failed for another reason (a binding error): back off and retry.
    public func retry(_ entry: Entry) {
        requeue(entry, parked: false)
    }

    /// A change that may let waiting pods fit (a node added or changed, a pod gone):
    /// unschedulable pods go to backoff, or straight to active if their backoff is over.
    public func moveAllToActiveOrBackoff() {
        let wake = state.withLock { state -> (CheckedContinuation<Entry?, Never>, Entry)? in
            state.moveRequestCycle = state.cycle
            if state.unschedulable.isEmpty { return nil }
            let now = ContinuousClock.now
            var wake: (CheckedContinuation<Entry?, Never>, Entry)?
            for (key, entry) in state.unschedulable {
                if entry.readyAt > now {
                    state.backoff[key] = entry
                } else if let woken = Self.activate(entry, &state) {
                    wake = woken
                }
            }
            state.unschedulable.removeAll()
            return wake
        }
        if let (waiter, entry) = wake { waiter.resume(returning: entry) }
    }

    /// Moves pods whose backoff is over to active, and unschedulable pods parked
    /// longer than the timeout to active or backoff. Call about once a second.
    public func flush() {
        let wake = state.withLock { state -> (CheckedContinuation<Entry?, Never>, Entry)? in
            let now = ContinuousClock.now
            var wake: (CheckedContinuation<Entry?, Never>, Entry)?
            for (key, entry) in state.backoff where entry.readyAt <= now {
                state.backoff[key] = nil
                if let woken = Self.activate(entry, &state) { wake = woken }
            }
            for (key, entry) in state.unschedulable where now - entry.parkedAt >= unschedulableTimeout {
                state.unschedulable[key] = nil
                if entry.readyAt > now {
                    state.backoff[key] = entry
                } else if let woken = Self.activate(entry, &state) {
                    wake = woken
                }
            }
            return wake
        }
        if let (waiter, entry) = wake { waiter.resume(returning: entry) }
    }

    /// Ends ``pop()`` waiters with nil.
    public func close() {
        let waiter = state.withLock { state in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Counts per sub-queue, for tests and logs.
    public var counts: (active: Int, backoff: Int, unschedulable: Int) {
        state.withLock { ($0.active.count, $0.backoff.count, $0.unschedulable.count) }
    }

    public func contains(_ key: String) -> Bool {
        state.withLock { $0.active[key] != nil || $0.backoff[key] != nil || $0.unschedulable[key] != nil }
    }

    private func requeue(_ entry: Entry, parked: Bool) {
        let key = entry.pod.key
        let wake = state.withLock { state -> (CheckedContinuation<Entry?, Never>, Entry)? in
            guard let latest = state.inFlight.removeValue(forKey: key) else { return nil }
            guard let pod = latest, !state.closed else { return nil }  // deleted meanwhile
            var entry = entry
            entry.pod = pod
            entry.readyAt = .now + backoff(attempts: entry.attempts)
            entry.parkedAt = .now
            if parked && state.moveRequestCycle < entry.cycle {
                state.unschedulable[key] = entry
            } else {
                state.backoff[key] = entry
            }
            return nil
        }
        if let (waiter, entry) = wake { waiter.resume(returning: entry) }
    }

    func backoff(attempts: Int) -> Duration {
        var duration = initialBackoff
        for _ in 1..<max(attempts, 1) {
            duration *= 2
            if duration >= maximumBackoff { return maximumBackoff }
        }
        return min(duration, maximumBackoff)
    }

    /// Puts an entry in active; if a pop is waiting, hands it over instead.
    private static func activate(
        _ entry: Entry, _ state: inout State
    ) -> (CheckedContinuation<Entry?, Never>, Entry)? {
        state.active[entry.pod.key] = entry
        state.heap.push(entry.order, key: entry.pod.key)
        guard let waiter = state.waiter, let next = takeActive(&state) else { return nil }
        state.waiter = nil
        return (waiter, next)
    }

    private static func takeActive(_ state: inout State) -> Entry? {
        while let key = state.heap.pop() {
            guard var entry = state.active.removeValue(forKey: key) else { continue }  // removed since
            state.cycle += 1
            entry.cycle = state.cycle
            entry.attempts += 1
            state.inFlight[key] = .some(entry.pod)
            return entry
        }
        return nil
    }
}

/// A binary min-heap of keys by ``SchedulingQueue/Order``. Removal is lazy: a
/// popped key no longer active is skipped.
struct Heap {
    private var items: [(order: SchedulingQueue.Order, key: String)] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ order: SchedulingQueue.Order, key: String) {
        items.append((order, key))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if !(items[child].order < items[parent].order) { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> String? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && items[left].order < items[smallest].order { smallest = left }
            if right < items.count && items[right].order < items[smallest].order { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top.key
    }
}
