import SkiffAPI

/// Upstream's truncateEndpoints: an Endpoints object holds at most 1000
/// addresses. Beyond that, not-ready addresses go first; if the ready ones alone
/// are too many, only ready ones are kept. Each subset keeps its share of what
/// may stay, rounded up (so the last subsets may get less).
enum EndpointsTruncation {
    static let maxCapacity = 1000
    /// The annotation that says addresses were left out, and its value.
    static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"
    static let truncated = "truncated"

    /// The subsets cut to ``maxCapacity`` addresses, and whether anything was cut.
    static func truncate(_ subsets: [EndpointSubset]) -> (subsets: [EndpointSubset], truncated: Bool) {
        let ready = subsets.reduce(0) { $0 + ($1.addresses?.count ?? 0) }
        let notReady = subsets.reduce(0) { $0 + ($1.notReadyAddresses?.count ?? 0) }
        guard ready + notReady > maxCapacity else { return (subsets, false) }
        let truncateReady = ready > maxCapacity
        let allowed = truncateReady ? maxCapacity : maxCapacity - ready
        let total = truncateReady ? ready : notReady
        var left = allowed
        var result = subsets
        for index in result.indices {
            let inSubset = (truncateReady ? result[index].addresses : result[index].notReadyAddresses)?.count ?? 0
            // ceil(inSubset / total × allowed) in integers.
            let share = min(left, (inSubset * allowed + total - 1) / total)
            if truncateReady {
                result[index].addresses = result[index].addresses.map { Array($0.prefix(share)) }
                result[index].notReadyAddresses = nil
                left -= result[index].addresses?.count ?? 0
            } else {
                result[index].notReadyAddresses = result[index].notReadyAddresses.map { Array($0.prefix(share)) }
                left -= result[index].notReadyAddresses?.count ?? 0
            }
        }
        // A subset left with no address at all is invalid; drop it.
        result.removeAll { ($0.addresses ?? []).isEmpty && ($0.notReadyAddresses ?? []).isEmpty }
        for index in result.indices {
            if result[index].addresses?.isEmpty == true { result[index].addresses = nil }
            if result[index].notReadyAddresses?.isEmpty == true { result[index].notReadyAddresses = nil }
        }
        return (result, true)
    }
}
