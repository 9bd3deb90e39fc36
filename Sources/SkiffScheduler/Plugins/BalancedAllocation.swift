/// Favours nodes whose CPU and memory would be used in equal shares after
/// placing the pod: score = (1 − standard deviation of the two fractions) × 100.
/// Skipped for pods that request neither, as upstream does.
public struct BalancedAllocation: ScorePlugin {
    public let name = "NodeResourcesBalancedAllocation"

    public init() {}

    public func prepareScore(for pod: PodInfo, feasible: [NodeInfo], in cache: SchedulerCache) -> NodeScorer? {
        let wants = pod.requests.resources
        if wants.milliCPU == 0 && wants.memory == 0 { return nil }
        return NodeScorer(score: { node in
            let cpu = node.allocatable.milliCPU
            let memory = node.allocatable.memory
            // With one resource (or none) there is nothing to balance.
            guard cpu > 0, memory > 0 else { return Score.maximum }
            let cpuShare = min(1, Double(node.requested.milliCPU + wants.milliCPU) / Double(cpu))
            let memoryShare = min(1, Double(node.requested.memory + wants.memory) / Double(memory))
            let deviation = abs(cpuShare - memoryShare) / 2
            return Int64((1 - deviation) * Double(Score.maximum))
        })
    }
}
