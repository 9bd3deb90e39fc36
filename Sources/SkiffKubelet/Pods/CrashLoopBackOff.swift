import Foundation

/// Upstream's restart back-off (kuberuntime doBackOff over flowcontrol.Backoff):
/// a container that exits is restarted at once the first time; after that each
/// restart waits twice as long as the one before, from `initial` up to `maximum`,
/// counted from when the container finished. A container that ran for longer
/// than twice the maximum starts over at `initial`.
struct CrashLoopBackOff: Sendable {
    let initial: TimeInterval
    let maximum: TimeInterval
    private var entries: [String: (delay: TimeInterval, lastUpdate: Date)] = [:]

    init(initial: Duration, maximum: Duration) {
        self.initial = Double(initial.components.seconds) + Double(initial.components.attoseconds) / 1e18
        self.maximum = Double(maximum.components.seconds) + Double(maximum.components.attoseconds) / 1e18
    }

    /// The delay still to wait before restarting `key`, which finished at
    /// `finishedAt`; nil means restart now (and the next delay is doubled).
    mutating func delayBeforeRestart(_ key: String, finishedAt: Date, now: Date = Date()) -> (remaining: TimeInterval, delay: TimeInterval)? {
        if let entry = entries[key], now.timeIntervalSince(finishedAt) < entry.delay {
            return (entry.delay - now.timeIntervalSince(finishedAt), entry.delay)
        }
        if let entry = entries[key], finishedAt.timeIntervalSince(entry.lastUpdate) <= 2 * maximum {
            entries[key] = (min(entry.delay * 2, maximum), finishedAt)
        } else {
            entries[key] = (initial, finishedAt)
        }
        return nil
    }

    mutating func forget(prefix: String) {
        entries = entries.filter { !$0.key.hasPrefix(prefix) }
    }

    /// Go's time.Duration rendering for whole seconds and minutes: "10s", "2m40s", "5m0s".
    static func render(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        return whole < 60 ? "\(whole)s" : "\(whole / 60)m\(whole % 60)s"
    }
}
