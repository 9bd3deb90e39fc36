import SkiffAPI

/// Filter: the node matches the pod's `nodeSelector` and one of its required
/// node affinity terms. Score: the summed weights of the preferred terms the
/// node matches, scaled to the best node.
public struct NodeAffinity: FilterPlugin, ScorePlugin {
    public let name = "NodeAffinity"
    public static let reason = "node(s) didn't match Pod's node affinity/selector"

    public init() {}

    public func prepareFilter(for pod: PodInfo, in cache: SchedulerCache) -> FilterPreparation {
        guard pod.hasRequiredNodeSelection else { return .skip }
        return .filter { node in pod.requiredNodeSelectionMatches(node) ? [] : [Self.reason] }
    }

    public func prepareScore(for pod: PodInfo, feasible: [NodeInfo], in cache: SchedulerCache) -> NodeScorer? {
        let preferred = pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
        let terms = preferred.filter { $0.weight != 0 }
        if terms.isEmpty { return nil }
        return NodeScorer(
            score: { node in terms.reduce(0) { $0 + ($1.preference.matches(node) ? Int64($1.weight) : 0) } },
            normalize: { Score.normalize(&$0, reverse: false) })
    }
}
