/// The chains and dispatch rules one destination (a ClusterIP port, a NodePort) adds.
struct IPTablesFragment: Sendable {
    var natChains: [String: [String]] = [:]
    var dispatchRules: [(table: String, chain: String, rule: String)] = []

    /// Both fragments' chains and rules.
    func merging(_ other: IPTablesFragment) -> IPTablesFragment {
        IPTablesFragment(
            natChains: natChains.merging(other.natChains) { $1 }, dispatchRules: dispatchRules + other.dispatchRules)
    }
}

/// The fragments written for the last model, keyed by everything they depend on,
/// so an unchanged destination costs a lookup rather than its rules.
public struct IPTablesFragmentCache: Sendable {
    struct ClusterKey: Hashable, Sendable {
        var address: ServiceAddress
        var destination: Destination
        var name: String
        var sharedBalancer: String?
        var shortcut: LocalShortcut?
    }

    struct NodePortKey: Hashable, Sendable {
        var port: SkiffProxy.NodePortKey
        var destination: Destination
        var name: String
        var sharedBalancer: String?
        var shortcut: LocalShortcut?
    }

    var clusterIPs: [ClusterKey: IPTablesFragment] = [:]
    var nodePorts: [NodePortKey: IPTablesFragment] = [:]

    public init() {}
}
