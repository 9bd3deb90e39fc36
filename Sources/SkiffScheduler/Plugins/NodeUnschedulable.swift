import SkiffAPI

/// Filters out nodes with `spec.unschedulable` (cordoned), unless the pod
/// tolerates the `node.kubernetes.io/unschedulable:NoSchedule` taint.
public struct NodeUnschedulable: FilterPlugin {
    public let name = "NodeUnschedulable"
    public static let reason = "node(s) were unschedulable"
    static let taint = Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")

    public init() {}

    public func prepareFilter(for pod: PodInfo, in cache: SchedulerCache) -> FilterPreparation {
        if (pod.pod.spec.tolerations ?? []).tolerate(Self.taint) { return .skip }
        return .filter { node in node.node.spec.unschedulable == true ? [Self.reason] : [] }
    }
}
