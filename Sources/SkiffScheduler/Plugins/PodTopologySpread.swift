import Foundation
import SkiffAPI

/// Topology spread constraints. DoNotSchedule (filter): placing the pod in the
/// node's domain must not make that domain exceed the least-populated domain by
/// more than `maxSkew`; a node without the topology key is ruled out.
/// ScheduleAnyway (score): fewer matching pods in the node's domains is better.
/// Domains count matching pods (same namespace, not terminating) on nodes that
/// pass the pod's node selection (`nodeAffinityPolicy: Honor`, the default) and,
/// with `nodeTaintsPolicy: Honor`, whose taints the pod tolerates. Upstream's
/// system default constraints (for pods of Services and ReplicaSets) are not
/// applied.
public struct PodTopologySpread: FilterPlugin, ScorePlugin {
    public let name = "PodTopologySpread"
    public static let reason = "node(s) didn't match pod topology spread constraints"
    public static let missingLabelReason = "node(s) didn't match pod topology spread constraints (missing required label)"

    public init() {}

    struct Constraint {
        var maxSkew: Int64
        var topologyKey: String
        var selector: Labels.Selector
        var minDomains: Int
        var honorsAffinity: Bool
        var honorsTaints: Bool
        var selfMatch: Int64
    }

    static func constraints(of pod: PodInfo, _ when: String) -> [Constraint] {
        (pod.pod.spec.topologySpreadConstraints ?? []).compactMap { constraint in
            guard constraint.whenUnsatisfiable == when, var selector = try? Labels.Selector(constraint.labelSelector)
            else { return nil }
            for key in constraint.matchLabelKeys ?? [] {
                if let value = pod.labels[key], let requirement = try? Labels.Requirement(key: key, operator: .in, values: [value]) {
                    selector = selector.adding([requirement])
                }
            }
            return Constraint(
                maxSkew: Int64(constraint.maxSkew), topologyKey: constraint.topologyKey, selector: selector,
                minDomains: Int(constraint.minDomains ?? 1), honorsAffinity: constraint.nodeAffinityPolicy != "Ignore",
                honorsTaints: constraint.nodeTaintsPolicy == "Honor", selfMatch: selector.matches(pod.labels) ? 1 : 0)
        }
    }

    /// Matching pods per domain over the nodes each constraint counts.
    static func counts(_ constraints: [Constraint], pod: PodInfo, nodes: [NodeInfo]) -> [[String: Int64]] {
        var counts = Array(repeating: [String: Int64](), count: constraints.count)
        let tolerations = pod.pod.spec.tolerations ?? []
        for node in nodes {
            guard constraints.allSatisfy({ node.labels[$0.topologyKey] != nil }) else { continue }
            for (index, constraint) in constraints.enumerated() {
                if constraint.honorsAffinity && !pod.requiredNodeSelectionMatches(node) { continue }
                if constraint.honorsTaints
                    && node.taints.contains(where: {
                        ($0.effect == "NoSchedule" || $0.effect == "NoExecute") && !tolerations.tolerate($0)
                    })
                {
                    continue
                }
                let value = node.labels[constraint.topologyKey]!
                var matching: Int64 = 0
                for existing in node.pods.values
                where existing.namespace == pod.namespace && existing.pod.metadata.deletionTimestamp == nil
                    && constraint.selector.matches(existing.labels)
                {
                    matching += 1
                }
                counts[index][value, default: 0] += matching
            }
        }
        return counts
    }

    public func prepareFilter(for pod: PodInfo, in cache: SchedulerCache) -> FilterPreparation {
        let constraints = Self.constraints(of: pod, "DoNotSchedule")
        if constraints.isEmpty { return .skip }
        let counts = Self.counts(constraints, pod: pod, nodes: cache.nodes)
        let minimums: [Int64?] = zip(constraints, counts).map { constraint, domains in
            if domains.isEmpty { return nil }
            return domains.count < constraint.minDomains ? 0 : domains.values.min()
        }
        return .filter { node in
            for (index, constraint) in constraints.enumerated() {
                guard let value = node.labels[constraint.topologyKey] else { return [Self.missingLabelReason] }
                guard let minimum = minimums[index] else { continue }
                let skew = (counts[index][value] ?? 0) + constraint.selfMatch - minimum
                if skew > constraint.maxSkew { return [Self.reason] }
            }
            return []
        }
    }

    public func prepareScore(for pod: PodInfo, feasible: [NodeInfo], in cache: SchedulerCache) -> NodeScorer? {
        let constraints = Self.constraints(of: pod, "ScheduleAnyway")
        if constraints.isEmpty { return nil }
        let counts = Self.counts(constraints, pod: pod, nodes: cache.nodes)
        let weights = counts.map { log(Double($0.count + 2)) }
        return NodeScorer(
            score: { node in
                var score = 0.0
                for (index, constraint) in constraints.enumerated() {
                    guard let value = node.labels[constraint.topologyKey] else { continue }
                    score += Double(counts[index][value] ?? 0) * weights[index] + Double(constraint.maxSkew - 1)
                }
                return Int64(score.rounded())
            },
            normalize: { values in
                guard let high = values.max(), let low = values.min() else { return }
                for index in values.indices {
                    values[index] = high == 0 ? Score.maximum : Score.maximum * (high + low - values[index]) / high
                }
            })
    }
}
