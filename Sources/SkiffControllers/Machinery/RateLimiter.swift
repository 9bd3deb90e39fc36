/// Per-item exponential backoff for retries, as client-go's
/// ItemExponentialFailureRateLimiter with the controllers' defaults: the n-th
/// consecutive failure of a key waits `base × 2ⁿ`, from 5 ms up to 1000 s.
///
/// client-go's default controller limiter is the larger of this and a 10 qps
/// token bucket shared by all keys; Skiff keeps only the per-item part, since the
/// bucket only matters when thousands of keys fail at once.
public struct ExponentialBackoff: Sendable {
    public var base: Duration
    public var maximum: Duration

    public init(base: Duration = .milliseconds(5), maximum: Duration = .seconds(1000)) {
        self.base = base
        self.maximum = maximum
    }

    /// The wait before retry number `failures + 1` (the first retry has `failures` 0).
    public func delay(afterFailures failures: Int) -> Duration {
        // 2^50 × 5 ms is already far beyond any sane maximum; stop before overflow.
        guard failures < 50 else { return maximum }
        let delay = base * (1 << failures)
        return delay > maximum ? maximum : delay
    }
}
