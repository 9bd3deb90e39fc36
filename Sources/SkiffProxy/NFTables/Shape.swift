/// A chain per *shape* of destination, shared by every Service of that shape:
/// the shape is what the rules must differ in (the endpoint count for
/// `numgen … mod N`, affinity timeout, masquerade), never the Service itself,
/// so adding a Service adds elements only.
public enum Shape: Hashable, Comparable, Sendable {
    case cluster(endpoints: Int)
    case nodePort(endpoints: Int, masquerade: Bool)
    case stickyCluster(endpoints: Int, seconds: Int32)
    case stickyNodePort(endpoints: Int, seconds: Int32, masquerade: Bool)
    /// An external or load balancer IP: keyed by address as a ClusterIP, masqueraded as a NodePort.
    case external(endpoints: Int, masquerade: Bool)
    case stickyExternal(endpoints: Int, seconds: Int32, masquerade: Bool)
    /// A Local Service's external address from this node (``Frontend/shortcut(_:)``):
    /// every endpoint, masqueraded as a cluster IP, through its own slots map.
    case shortcut(endpoints: Int, seconds: Int32?)
    /// A Local Service's NodePort from this node.
    case nodePortShortcut(endpoints: Int, seconds: Int32?)

    /// The shape of a destination reached by (address . protocol . port): a
    /// ClusterIP masquerades traffic from outside the cluster CIDR, an external IP
    /// all of it or (externalTrafficPolicy Local) none.
    static func address(endpoints: Int, affinitySeconds: Int32?, masquerade: Masquerade) -> Shape {
        switch (masquerade, affinitySeconds) {
        case (.outsideClusterCIDR, nil): .cluster(endpoints: endpoints)
        case (.outsideClusterCIDR, let seconds?): .stickyCluster(endpoints: endpoints, seconds: seconds)
        case (_, nil): .external(endpoints: endpoints, masquerade: masquerade == .always)
        case (_, let seconds?): .stickyExternal(endpoints: endpoints, seconds: seconds, masquerade: masquerade == .always)
        }
    }

    /// The chain's name in the `skiff` table.
    public var chainName: String {
        switch self {
        case .cluster(let n): "cluster_\(n)"
        case .nodePort(let n, let masquerade): (masquerade ? "node_port_" : "node_port_local_") + "\(n)"
        case .stickyCluster(let n, let seconds): "sticky_cluster_\(n)_\(seconds)"
        case .stickyNodePort(let n, let seconds, let masquerade):
            (masquerade ? "sticky_node_port_" : "sticky_node_port_local_") + "\(n)_\(seconds)"
        case .external(let n, let masquerade): (masquerade ? "external_" : "external_local_") + "\(n)"
        case .stickyExternal(let n, let seconds, let masquerade):
            (masquerade ? "sticky_external_" : "sticky_external_local_") + "\(n)_\(seconds)"
        case .shortcut(let n, let seconds): seconds.map { "sticky_shortcut_\(n)_\($0)" } ?? "shortcut_\(n)"
        case .nodePortShortcut(let n, let seconds): seconds.map { "sticky_node_port_shortcut_\(n)_\($0)" } ?? "node_port_shortcut_\(n)"
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
    /// Before DNAT: connections to a load balancer IP from outside its source ranges are dropped.
    case filterPrerouting = "filter_prerouting"
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
        // Before the nat chains (-100), which would DNAT the load balancer IP away.
        case .filterPrerouting: ("filter", UInt32(NF_INET_PRE_ROUTING_VALUE), -110)
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
