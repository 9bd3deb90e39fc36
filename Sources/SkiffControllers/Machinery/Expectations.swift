import Synchronization

/// What a controller is still waiting to see in its informers after acting, so
/// it never acts twice on one observation (client-go's
/// UIDTrackingControllerExpectations): before creating n pods for a key it
/// expects n creations, before deleting pods it expects those pods' deletions,
/// and it syncs that key again only once the informer has shown them all — or
/// once the expectation is older than the TTL (5 min, as upstream), in case a
/// watch event was lost.
public final class Expectations: Sendable {
    private struct Record {
        var creations: Int
        var deletions: Set<String>
        var setAt: ContinuousClock.Instant
    }

    private let records = Mutex([String: Record]())
    private let ttl: Duration
    private let now: @Sendable () -> ContinuousClock.Instant

    public init(ttl: Duration = .seconds(300), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.ttl = ttl
        self.now = now
    }

    /// Whether the controller may act for `key`: nothing is expected, all of it was
    /// seen, or the expectation expired.
    public func satisfied(_ key: String) -> Bool {
        let now = now()
        return records.withLock { records in
            guard let record = records[key] else { return true }
            if record.creations <= 0 && record.deletions.isEmpty { return true }
            return now - record.setAt > ttl
        }
    }

    /// Expects `creations` new objects and the deletion of the objects with these
    /// uids, replacing what was expected before.
    public func expect(_ key: String, creations: Int = 0, deletions: Set<String> = []) {
        let now = now()
        records.withLock { $0[key] = Record(creations: creations, deletions: deletions, setAt: now) }
    }

    /// The informer showed one object created for `key` (or a create failed, so
    /// it will never show it).
    public func creationObserved(_ key: String, count: Int = 1) {
        records.withLock { records in records[key]?.creations -= count }
    }

    /// The informer showed the object with `uid` deleted (or being deleted), or
    /// its delete failed.
    public func deletionObserved(_ key: String, uid: String) {
        records.withLock { records in _ = records[key]?.deletions.remove(uid) }
    }

    /// Forgets `key`, e.g. when its object is gone.
    public func remove(_ key: String) {
        records.withLock { _ = $0.removeValue(forKey: key) }
    }
}
