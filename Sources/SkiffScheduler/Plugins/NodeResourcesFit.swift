/// Filter: the pod's requests fit what the node's allocatable leaves after the
/// pods already there (bound or assumed), and the node has room for one more
/// pod. Score (LeastAllocated, cpu and memory weighted 1 each): the more that
/// stays free after placing the pod, the better; request-less containers count
/// as 100m CPU and 200 MiB, as upstream's scoring does.
public struct NodeResourcesFit: FilterPlugin, ScorePlugin {
    public let name = "NodeResourcesFit"
    public static let tooManyPods = "Too many pods"

    public init() {}

    public static func insufficient(_ resource: String) -> String { "Insufficient \(resource)" }

    public func prepareFilter(for pod: PodInfo, in cache: SchedulerCache) -> FilterPreparation {
        let wants = pod.requests.resources
        return .filter { node in Self.reasons(wants, node) }
    }

    static func reasons(_ wants: Resources, _ node: NodeInfo) -> [String] {
        let free = node.allocatable
        let used = node.requested
        var reasons: [String] = []
        if used.pods + 1 > free.pods { reasons.append(tooManyPods) }
        if wants.milliCPU > 0 && wants.milliCPU > free.milliCPU - used.milliCPU { reasons.append(insufficient("cpu")) }
        if wants.memory > 0 && wants.memory > free.memory - used.memory { reasons.append(insufficient("memory")) }
        if wants.ephemeralStorage > 0 && wants.ephemeralStorage > free.ephemeralStorage - used.ephemeralStorage {
            reasons.append(insufficient("ephemeral-storage"))
        }
        if !wants.scalar.isEmpty {
            for (name, amount) in wants.scalar.sorted(by: { $0.key < $1.key })
            where amount > 0 && amount > (free.scalar[name] ?? 0) - (used.scalar[name] ?? 0) {
                reasons.append(insufficient(name))
            }
        }
        return reasons
    }

    /// Free share after placing, 0…100; nil for a resource the node has none of.
    static func leastRequested(_ requested: Int64, _ allocatable: Int64) -> Int64? {
        guard allocatable > 0 else { return nil }
        return requested > allocatable ? 0 : (allocatable - requested) * Score.maximum / allocatable
    }

    public func prepareScore(for pod: PodInfo, feasible: [NodeInfo], in cache: SchedulerCache) -> NodeScorer? {
        let cpu = pod.requests.nonZeroMilliCPU
        let memory = pod.requests.nonZeroMemory
        return NodeScorer(score: { node in
            var total: Int64 = 0
            var weights: Int64 = 0
            if let score = Self.leastRequested(node.nonZeroMilliCPU + cpu, node.allocatable.milliCPU) {
                total += score
                weights += 1
            }
            if let score = Self.leastRequested(node.nonZeroMemory + memory, node.allocatable.memory) {
                total += score
                weights += 1
            }
            return weights == 0 ? 0 : total / weights
        })
    }
}
