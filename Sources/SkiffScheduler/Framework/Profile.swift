/// The plugins a scheduler runs, in upstream's default profile order, with its
/// default score weights (TaintToleration 3, NodeAffinity 2, PodTopologySpread 2,
/// InterPodAffinity 2, NodeResourcesFit 1, BalancedAllocation 1, ImageLocality 1).
public struct Profile: Sendable {
    public var schedulerName: String
    public var filters: [any FilterPlugin]
    public var scores: [(plugin: any ScorePlugin, weight: Int64)]
    /// Share of nodes to find feasible before scoring (upstream's
    /// percentageOfNodesToScore); nil: upstream's adaptive default, 50% less 1%
    /// per 125 nodes, at least 5%, and never fewer than 100 nodes.
    public var percentageOfNodesToScore: Int?

    public init(
        schedulerName: String, filters: [any FilterPlugin], scores: [(plugin: any ScorePlugin, weight: Int64)],
        percentageOfNodesToScore: Int? = nil
    ) {
        self.schedulerName = schedulerName
        self.filters = filters
        self.scores = scores
        self.percentageOfNodesToScore = percentageOfNodesToScore
    }

    public static let defaultSchedulerName = "default-scheduler"

    public static func `default`(schedulerName: String = defaultSchedulerName) -> Profile {
        Profile(
            schedulerName: schedulerName,
            filters: [
                NodeUnschedulable(), NodeName(), TaintToleration(), NodeAffinity(), NodePorts(), NodeResourcesFit(),
                PodTopologySpread(), InterPodAffinity(),
            ],
            scores: [
                (TaintToleration(), 3), (NodeAffinity(), 2), (NodeResourcesFit(), 1), (PodTopologySpread(), 2),
                (InterPodAffinity(), 2), (BalancedAllocation(), 1), (ImageLocality(), 1),
            ])
    }

    static let minimumFeasibleNodesToFind = 100
    static let minimumFeasibleNodesPercentageToFind = 5

    /// How many feasible nodes to find before stopping the search.
    func feasibleNodesToFind(of nodeCount: Int) -> Int {
        if nodeCount < Self.minimumFeasibleNodesToFind { return nodeCount }
        var percentage = percentageOfNodesToScore ?? (50 - nodeCount / 125)
        if percentageOfNodesToScore == nil { percentage = max(percentage, Self.minimumFeasibleNodesPercentageToFind) }
        if percentage >= 100 { return nodeCount }
        return max(nodeCount * percentage / 100, Self.minimumFeasibleNodesToFind)
    }
}
