import Foundation

/// Upstream's restart and image-pull back-off (flowcontrol.Backoff): each failure
/// recorded doubles the delay, from `initial` up to `maximum`; a key whose last
/// failure is older than twice the maximum starts over at `initial`.
///
/// Containers use it as kuberuntime's doBackOff does: a container that exits is
/// restarted at once the first time; each later restart waits the current delay,
/// counted from when the container finished.
struct CrashLoopBackOff: Sendable {
    let initial: TimeInterval
    let maximum: TimeInterval
    private var entries: [String: (delay: TimeInterval, lastUpdate: Date)] = [:]

    init(initial: Duration, maximum: Duration) {
        self.initial = Self.seconds(initial)
        self.maximum = Self.seconds(maximum)
    }

    /// How long `key` must still wait when its last failure was at `since`, nil
    /// when it may go on (upstream's IsInBackOffSince).
    func remaining(_ key: String, since: Date, now: Date = Date()) -> (remaining: TimeInterval, delay: TimeInterval)? {
        guard let entry = entries[key] else { return nil }
        let waited = now.timeIntervalSince(since)
        return waited < entry.delay ? (entry.delay - waited, entry.delay) : nil
    }

    /// Records a failure at `at` (upstream's Next): the delay doubles.
    mutating func recordFailure(_ key: String, at: Date) {
        if let entry = entries[key], at.timeIntervalSince(entry.lastUpdate) <= 2 * maximum {
            entries[key] = (min(entry.delay * 2, maximum), at)
        } else {
            entries[key] = (initial, at)
        }
    }

    mutating func forget(_ key: String) {
        entries[key] = nil
    }

    /// Go's time.Duration rendering for whole seconds and minutes: "10s", "2m40s", "5m0s".
    static func render(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        return whole < 60 ? "\(whole)s" : "\(whole / 60)m\(whole % 60)s"
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
