/// Why a pod fits no node, worded as upstream's FitError:
/// `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}.`
/// — each reason with the number of nodes it ruled out, sorted as text.
public struct FitError: Error, Sendable, CustomStringConvertible {
    public var nodeCount: Int
    /// Reason → nodes it ruled out (a node counts once per reason it gave).
    public var reasons: [String: Int]
    /// A rejection before any node was looked at (PreFilter), which replaces the counts.
    public var preFilterMessage: String?

    public init(nodeCount: Int, reasons: [String: Int] = [:], preFilterMessage: String? = nil) {
        self.nodeCount = nodeCount
        self.reasons = reasons
        self.preFilterMessage = preFilterMessage
    }

    /// Upstream's text for a cluster without nodes.
    public static let noNodesMessage = "no nodes available to schedule pods"

    public var description: String {
        if nodeCount == 0 { return Self.noNodesMessage }
        var message = "0/\(nodeCount) nodes are available:"
        if let preFilterMessage {
            message += " \(preFilterMessage)."
        } else {
            let histogram = reasons.map { "\($0.value) \($0.key)" }.sorted()
            if !histogram.isEmpty { message += " " + histogram.joined(separator: ", ") + "." }
        }
        return message
    }
}
