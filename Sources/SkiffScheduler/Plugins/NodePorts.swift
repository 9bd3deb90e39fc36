/// A pod's host ports must be free on the node (same protocol and port on an
/// overlapping address is taken).
public struct NodePorts: FilterPlugin {
    public let name = "NodePorts"
    public static let reason = "node(s) didn't have free ports for the requested pod ports"

    public init() {}

    public func prepareFilter(for pod: PodInfo, in cache: SchedulerCache) -> FilterPreparation {
        let wanted = pod.hostPorts
        if wanted.isEmpty { return .skip }
        return .filter { node in
            for port in wanted where node.usedPorts.contains(where: { $0.conflicts(with: port) }) { return [Self.reason] }
            return []
        }
    }
}
