/// Whether a node passes a filter: no reasons means it fits; otherwise the
/// reasons are upstream's texts ("Insufficient cpu"), counted per node in the
/// FailedScheduling message.
public typealias NodeFilter = (NodeInfo) -> [String]

/// What a filter plugin decided for a pod before looking at nodes.
public enum FilterPreparation {
    /// Nothing to check for this pod (e.g. NodePorts for a pod without host ports).
    case skip
    /// Check each node with this.
    case filter(NodeFilter)
    /// No node can fit, for this reason (upstream's PreFilter rejection).
    case rejectAll(String)
}

/// A Filter plugin: prepared once per pod and cycle (upstream's PreFilter), then
/// asked about nodes.
public protocol FilterPlugin: Sendable {
    var name: String { get }
    func prepareFilter(for pod: PodInfo, in cache: SchedulerCache) -> FilterPreparation
}

/// Scores of feasible nodes, raw, then normalised in place to 0…100.
public struct NodeScorer {
    public var score: (NodeInfo) -> Int64
    public var normalize: (inout [Int64]) -> Void

    public init(score: @escaping (NodeInfo) -> Int64, normalize: @escaping (inout [Int64]) -> Void = { _ in }) {
        self.score = score
        self.normalize = normalize
    }
}

/// A Score plugin: prepared once per pod over the feasible nodes (upstream's
/// PreScore); nil when it has nothing to say about this pod.
public protocol ScorePlugin: Sendable {
    var name: String { get }
    func prepareScore(for pod: PodInfo, feasible: [NodeInfo], in cache: SchedulerCache) -> NodeScorer?
}

public enum Score {
    public static let maximum: Int64 = 100

    /// Upstream's DefaultNormalizeScore: scale to 0…100 by the highest score;
    /// `reverse` turns "more is worse" counts into scores.
    public static func normalize(_ scores: inout [Int64], reverse: Bool) {
        let highest = scores.max() ?? 0
        if highest == 0 {
            if reverse { for index in scores.indices { scores[index] = maximum } }
            return
        }
        for index in scores.indices {
            let scaled = maximum * scores[index] / highest
            scores[index] = reverse ? maximum - scaled : scaled
        }
    }
}
