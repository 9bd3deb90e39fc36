/// One pod's scheduling cycle over the cache: filter nodes (stopping once
/// enough feasible ones are found, starting where the last cycle stopped so
/// every node gets its turn), score the feasible ones, and pick the best,
/// breaking ties at random. Pure over its inputs, so tests drive it directly.
public struct SchedulingAlgorithm {
    public let profile: Profile
    private var nextStartIndex = 0
    private var random: UInt64

    public init(profile: Profile, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        self.profile = profile
        random = seed | 1
    }

    /// The chosen node's name, or why no node fits.
    public mutating func schedule(_ pod: PodInfo, in cache: SchedulerCache) -> Result<String, FitError> {
        let nodes = cache.nodes
        if nodes.isEmpty { return .failure(FitError(nodeCount: 0)) }

        var filters: [NodeFilter] = []
        for plugin in profile.filters {
            switch plugin.prepareFilter(for: pod, in: cache) {
            case .skip: continue
            case .filter(let filter): filters.append(filter)
            case .rejectAll(let message): return .failure(FitError(nodeCount: nodes.count, preFilterMessage: message))
            }
        }

        let wanted = profile.feasibleNodesToFind(of: nodes.count)
        var feasible: [NodeInfo] = []
        feasible.reserveCapacity(min(wanted, nodes.count))
        var reasons: [String: Int] = [:]
        var examined = 0
        let start = nextStartIndex % nodes.count
        while examined < nodes.count && feasible.count < wanted {
            let node = nodes[(start + examined) % nodes.count]
            examined += 1
            var unfit: [String] = []
            for filter in filters {
                unfit = filter(node)
                if !unfit.isEmpty { break }
            }
            if unfit.isEmpty {
                feasible.append(node)
            } else {
                for reason in unfit { reasons[reason, default: 0] += 1 }
            }
        }
        nextStartIndex = (start + examined) % nodes.count

        if feasible.isEmpty { return .failure(FitError(nodeCount: nodes.count, reasons: reasons)) }
        if feasible.count == 1 { return .success(feasible[0].name) }
        return .success(feasible[best(scores(pod, feasible, cache))].name)
    }

    /// Weighted sums of each plugin's normalised scores, per feasible node.
    func scores(_ pod: PodInfo, _ feasible: [NodeInfo], _ cache: SchedulerCache) -> [Int64] {
        var totals = Array(repeating: Int64(0), count: feasible.count)
        var scores = Array(repeating: Int64(0), count: feasible.count)
        for (plugin, weight) in profile.scores {
            guard let scorer = plugin.prepareScore(for: pod, feasible: feasible, in: cache) else { continue }
            for index in feasible.indices { scores[index] = scorer.score(feasible[index]) }
            scorer.normalize(&scores)
            for index in feasible.indices { totals[index] += scores[index] * weight }
        }
        return totals
    }

    /// The index of the highest score; among equals, each equally likely.
    private mutating func best(_ totals: [Int64]) -> Int {
        var bestIndex = 0
        var ties = 1
        for index in totals.indices.dropFirst() {
            if totals[index] > totals[bestIndex] {
                bestIndex = index
                ties = 1
            } else if totals[index] == totals[bestIndex] {
                ties += 1
                if nextRandom() % UInt64(ties) == 0 { bestIndex = index }
            }
        }
        return bestIndex
    }

    private mutating func nextRandom() -> UInt64 {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        return random
    }
}
