/// Required pod affinity and anti-affinity, both ways. A node is ruled out when
/// its domain (the term's topology key's value) holds no pod the incoming pod's
/// affinity term needs (unless no such pod exists anywhere and the pod matches
/// its own term: the first of a group; the node
/// must still carry the topology key), holds a pod its anti-affinity term
/// refuses, or holds a pod whose own required anti-affinity refuses the incoming
/// pod. Score: preferred terms of the incoming pod and of the pods already
/// placed (and their required affinity, weight 1), summed per domain.
public struct InterPodAffinity: FilterPlugin, ScorePlugin {
    public let name = "InterPodAffinity"
    public static let affinityReason = "node(s) didn't match pod affinity rules"
    public static let antiAffinityReason = "node(s) didn't match pod anti-affinity rules"
    public static let existingAntiAffinityReason = "node(s) didn't satisfy existing pods anti-affinity rules"
    static let hardPodAffinityWeight: Int64 = 1

    public init() {}

    public func prepareFilter(for pod: PodInfo, in cache: SchedulerCache) -> FilterPreparation {
        let affinity = pod.requiredAffinity
        let antiAffinity = pod.requiredAntiAffinity
        if affinity.isEmpty && antiAffinity.isEmpty && cache.podsWithRequiredAntiAffinity == 0 { return .skip }

        var existingAnti: [TopologyPair: Int] = [:]
        var affinityCounts: [TopologyPair: Int] = [:]
        var antiCounts: [TopologyPair: Int] = [:]
        for node in cache.nodes where !node.pods.isEmpty {
            for existing in node.pods.values {
                if node.podsWithRequiredAntiAffinity > 0 {
                    for term in existing.requiredAntiAffinity where term.matches(pod) {
                        if let pair = node.pair(term.topologyKey) { existingAnti[pair, default: 0] += 1 }
                    }
                }
                if !affinity.isEmpty && affinity.allSatisfy({ $0.matches(existing) }) {
                    for term in affinity {
                        if let pair = node.pair(term.topologyKey) { affinityCounts[pair, default: 0] += 1 }
                    }
                }
                for term in antiAffinity where term.matches(existing) {
                    if let pair = node.pair(term.topologyKey) { antiCounts[pair, default: 0] += 1 }
                }
            }
        }
        let firstOfGroup = affinityCounts.isEmpty && affinity.allSatisfy { $0.matches(pod) }
        return .filter { node in
            // Every term's topology key must be on the node, even for the first of a group.
            var podsExist = true
            for term in affinity {
                guard let pair = node.pair(term.topologyKey) else { return [Self.affinityReason] }
                if affinityCounts[pair, default: 0] <= 0 { podsExist = false }
            }
            if !podsExist && !firstOfGroup { return [Self.affinityReason] }
            for term in antiAffinity {
                if let pair = node.pair(term.topologyKey), antiCounts[pair, default: 0] > 0 { return [Self.antiAffinityReason] }
            }
            if !existingAnti.isEmpty {
                for (key, value) in node.labels where existingAnti[TopologyPair(key: key, value: value), default: 0] > 0 {
                    return [Self.existingAntiAffinityReason]
                }
            }
            return []
        }
    }

    public func prepareScore(for pod: PodInfo, feasible: [NodeInfo], in cache: SchedulerCache) -> NodeScorer? {
        let hasPreferred = !pod.preferredAffinity.isEmpty || !pod.preferredAntiAffinity.isEmpty
        if !hasPreferred && cache.podsWithAffinity == 0 { return nil }
        var scores: [TopologyPair: Int64] = [:]
        func add(_ term: AffinityTerm, _ weight: Int64, on node: NodeInfo) {
            if let pair = node.pair(term.topologyKey) { scores[pair, default: 0] += weight }
        }
        for node in cache.nodes where !node.pods.isEmpty && (hasPreferred || node.podsWithAffinity > 0) {
            for existing in node.pods.values {
                for term in pod.preferredAffinity where term.matches(existing) { add(term, term.weight, on: node) }
                for term in pod.preferredAntiAffinity where term.matches(existing) { add(term, -term.weight, on: node) }
                guard existing.hasAffinityTerms else { continue }
                for term in existing.requiredAffinity where term.matches(pod) { add(term, Self.hardPodAffinityWeight, on: node) }
                for term in existing.preferredAffinity where term.matches(pod) { add(term, term.weight, on: node) }
                for term in existing.preferredAntiAffinity where term.matches(pod) { add(term, -term.weight, on: node) }
            }
        }
        if scores.isEmpty { return nil }
        return NodeScorer(
            score: { node in
                var total: Int64 = 0
                for (key, value) in node.labels { total += scores[TopologyPair(key: key, value: value)] ?? 0 }
                return total
            },
            normalize: { values in
                guard let low = values.min(), let high = values.max(), high > low else {
                    for index in values.indices { values[index] = 0 }
                    return
                }
                for index in values.indices { values[index] = Score.maximum * (values[index] - low) / (high - low) }
            })
    }
}
