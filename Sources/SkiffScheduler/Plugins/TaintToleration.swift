import SkiffAPI

/// Filter: a node's NoSchedule and NoExecute taints must all be tolerated; the
/// first one that is not is named in the reason. Score: fewer untolerated
/// PreferNoSchedule taints is better.
public struct TaintToleration: FilterPlugin, ScorePlugin {
    public let name = "TaintToleration"

    public init() {}

    public static func reason(_ taint: Taint) -> String {
        "node(s) had untolerated taint {\(taint.key): \(taint.value ?? "")}"
    }

    public func prepareFilter(for pod: PodInfo, in cache: SchedulerCache) -> FilterPreparation {
        let tolerations = pod.pod.spec.tolerations ?? []
        return .filter { node in
            guard let taints = node.node.spec.taints else { return [] }
            for taint in taints where taint.effect == "NoSchedule" || taint.effect == "NoExecute" {
                if !tolerations.tolerate(taint) { return [Self.reason(taint)] }
            }
            return []
        }
    }

    public func prepareScore(for pod: PodInfo, feasible: [NodeInfo], in cache: SchedulerCache) -> NodeScorer? {
        let tolerations = (pod.pod.spec.tolerations ?? []).filter {
            ($0.effect ?? "").isEmpty || $0.effect == "PreferNoSchedule"
        }
        return NodeScorer(
            score: { node in
                Int64((node.node.spec.taints ?? []).count { $0.effect == "PreferNoSchedule" && !tolerations.tolerate($0) })
            },
            normalize: { Score.normalize(&$0, reverse: true) })
    }
}
