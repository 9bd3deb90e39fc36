/// A chain per *shape* of destination, shared by every Service of that shape:
/// the shape is what the rules must differ in (the endpoint count for
/// `numgen … mod N`, affinity timeout, masquerade), never the Service itself,
/// so adding a Service adds elements only.
public enum Shape: Hashable, Comparable, Sendable {
    case cluster(endpoints: Int)
    case nodePort(endpoints: Int, masquerade: Bool)
    case stickyCluster(endpoints: Int, seconds: Int32)
    case stickyNodePort(endpoints: Int, seconds: Int32, masquerade: Bool)

    /// The chain's name in the `skiff` table.
    public var chainName: String {
        switch self {
        case .cluster(let n): "cluster_\(n)"
        case .nodePort(let n, let masquerade): (masquerade ? "node_port_" : "node_port_local_") + "\(n)"
        case .stickyCluster(let n, let seconds): "sticky_cluster_\(n)_\(seconds)"
        case .stickyNodePort(let n, let seconds, let masquerade):
            (masquerade ? "sticky_node_port_" : "sticky_node_port_local_") + "\(n)_\(seconds)"
        }
    }

    public static func < (lhs: Shape, rhs: Shape) -> Bool { lhs.chainName < rhs.chainName }
}

/// The chains every `skiff` table has, whatever its Services.
public enum BaseChain: String, CaseIterable, Sendable {
    case natPrerouting = "nat_prerouting"
    case natOutput = "nat_output"
    case natPostrouting = "nat_postrouting"
    case services
    case filterInput = "filter_input"
    case filterForward = "filter_forward"
    case filterOutput = "filter_output"
    case rejectEndpointless = "reject_endpointless"

    /// (type, hook, priority) of a base chain; nil for a regular chain.
    var hook: (type: String, hook: UInt32, priority: Int32)? {
        switch self {
        case .natPrerouting: ("nat", UInt32(NF_INET_PRE_ROUTING_VALUE), -100)
        case .natOutput: ("nat", UInt32(NF_INET_LOCAL_OUT_VALUE), -100)
        case .natPostrouting: ("nat", UInt32(NF_INET_POST_ROUTING_VALUE), 100)
        // Before the usual filter chains, as upstream: refusing an endpoint-less Service
        // must not depend on what other tables accept.
        case .filterInput: ("filter", UInt32(NF_INET_LOCAL_IN_VALUE), -110)
        case .filterForward: ("filter", UInt32(NF_INET_FORWARD_VALUE), -110)
        case .filterOutput: ("filter", UInt32(NF_INET_LOCAL_OUT_VALUE), -110)
        case .services, .rejectEndpointless: nil
        }
    }
}

// netfilter hook numbers (linux/netfilter.h), stable kernel ABI.
let NF_INET_PRE_ROUTING_VALUE = 0
let NF_INET_LOCAL_IN_VALUE = 1
let NF_INET_FORWARD_VALUE = 2
let NF_INET_LOCAL_OUT_VALUE = 3
let NF_INET_POST_ROUTING_VALUE = 4
