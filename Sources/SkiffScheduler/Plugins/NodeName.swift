/// A pod that names its node (`spec.nodeName`) fits only that node.
public struct NodeName: FilterPlugin {
    public let name = "NodeName"
    public static let reason = "node(s) didn't match the requested node name"

    public init() {}

    public func prepareFilter(for pod: PodInfo, in cache: SchedulerCache) -> FilterPreparation {
        guard let wanted = pod.pod.spec.nodeName, !wanted.isEmpty else { return .skip }
        return .filter { node in node.name == wanted ? [] : [Self.reason] }
    }
}
