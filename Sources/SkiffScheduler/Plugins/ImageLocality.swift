/// Favours nodes that already have the pod's images: the summed sizes of the
/// images present, each scaled by the share of nodes that have it (so an image
/// on every node does not pull every pod to one), mapped onto 0…100 between
/// 23 MB and 1000 MB per container.
public struct ImageLocality: ScorePlugin {
    public let name = "ImageLocality"
    static let megabyte: Int64 = 1024 * 1024
    static let minimumThreshold = 23 * megabyte
    static let maximumThresholdPerContainer = 1000 * megabyte

    public init() {}

    public func prepareScore(for pod: PodInfo, feasible: [NodeInfo], in cache: SchedulerCache) -> NodeScorer? {
        if pod.images.isEmpty || cache.imageNodeCounts.isEmpty { return nil }
        let total = Double(max(cache.nodeCount, 1))
        let spreads = pod.images.map { Double(cache.imageNodeCounts[$0] ?? 0) / total }
        let maximum = Self.maximumThresholdPerContainer * Int64(pod.images.count)
        return NodeScorer(score: { node in
            var sum: Int64 = 0
            for (image, spread) in zip(pod.images, spreads) {
                if let size = node.imageSizes[image] { sum += Int64(Double(size) * spread) }
            }
            let clamped = min(max(sum, Self.minimumThreshold), maximum)
            return Score.maximum * (clamped - Self.minimumThreshold) / (maximum - Self.minimumThreshold)
        })
    }
}
