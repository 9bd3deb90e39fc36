import Foundation

/// Throughput and latency of one load: `operations` requests or writes from
/// `concurrency` clients over `seconds`.
struct LoadResult {
    var concurrency: Int
    var operations: Int
    var seconds: Double
    var latenciesSorted: [Double]

    init(concurrency: Int, seconds: Double, latencies: [Double]) {
        self.concurrency = concurrency
        self.operations = latencies.count
        self.seconds = seconds
        self.latenciesSorted = latencies.sorted()
    }

    var perSecond: Double { seconds > 0 ? Double(operations) / seconds : 0 }

    /// Latency at a percentile (0–100) in milliseconds.
    func percentile(_ p: Double) -> Double {
        guard !latenciesSorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(latenciesSorted.count)).rounded(.up)) - 1
        return latenciesSorted[min(max(rank, 0), latenciesSorted.count - 1)] * 1000
    }
}

/// Seconds on the monotonic clock: what every benchmark latency is measured with.
func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
