import SkiffAPI

/// Replacements of failed pods wait longer after each consecutive failure
/// (upstream's pod backoff records): 10 s, 20 s, … up to 6 min by default.
extension JobController {
    /// Keeps the consecutive failures that delay replacements (upstream's backoff records).
    func noteFailures(_ key: String, succeeded: Int, failed: Int, now: Time) {
        guard succeeded > 0 || failed > 0 else { return }
        failureRecords.withLock { records in
            if succeeded > 0 { records[key] = (0, now) }
            if failed > 0 { records[key] = ((records[key]?.failures ?? 0) + failed, now) }
        }
    }

    /// How long new pods must still wait after the last failures.
    func replacementDelay(_ key: String, now: Time) -> Duration {
        guard let record = failureRecords.withLock({ $0[key] }), record.failures > 0 else { return .zero }
        let backoff = podFailureBackoff.delay(afterFailures: record.failures - 1)
        return backoff - .nanoseconds(now.nanosecondsSinceEpoch - record.last.nanosecondsSinceEpoch)
    }
}
