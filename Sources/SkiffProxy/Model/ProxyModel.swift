/// The layer-4 protocols a Service port can carry, with their IP protocol numbers.
public enum L4Protocol: String, Hashable, Comparable, Sendable, CaseIterable {
    case tcp, udp, sctp

    /// From a Service or EndpointSlice port's `protocol` (nil means TCP).
    public init?(kubernetes name: String?) {
        switch name ?? "TCP" {
        case "TCP": self = .tcp
        case "UDP": self = .udp
        case "SCTP": self = .sctp
        default: return nil
        }
    }

    public var number: UInt8 {
        switch self {
        case .tcp: 6
        case .udp: 17
        case .sctp: 132
        }
    }

    public static func < (lhs: L4Protocol, rhs: L4Protocol) -> Bool { lhs.number < rhs.number }
}

/// Where a Service's traffic goes on this node.
public struct Backend: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// `10.42.1.2:8080`, `[fd42::2]:8080`: what DNAT's `--to-destination` takes.
    public var description: String { address.family == .ipv4 ? "\(address):\(port)" : "[\(address)]:\(port)" }

    public static func < (lhs: Backend, rhs: Backend) -> Bool { (lhs.address, lhs.port) < (rhs.address, rhs.port) }
}

/// What a destination (a ClusterIP port, a NodePort) does with a new connection.
public enum Destination: Hashable, Sendable {
    /// Spread over the backends (sorted, so the slot numbers are stable); with
    /// `affinitySeconds`, a client keeps its backend that long after its last
    /// connection. `allowedSources` (a load balancer IP of a Service with
    /// `loadBalancerSourceRanges`): new connections from elsewhere are dropped; nil
    /// allows every source.
    case balance(backends: [Backend], affinitySeconds: Int32?, masquerade: Masquerade, allowedSources: [IPCIDR]? = nil)
    /// No endpoints at all: refuse at once (ICMP port unreachable, a TCP reset for the client).
    case reject
    /// Endpoints exist but none this traffic policy may use (Local policies): drop, as upstream.
    case drop
}

/// When traffic to a destination is source-NATed to the node.
public enum Masquerade: Hashable, Sendable {
    /// Traffic from outside the cluster CIDR (ClusterIPs).
    case outsideClusterCIDR
    /// Every connection (NodePorts with externalTrafficPolicy Cluster).
    case always
    /// Never: the client's address is kept (externalTrafficPolicy Local).
    case never
}

/// A ClusterIP port: (address . protocol . port).
public struct ServiceAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var proto: L4Protocol
    public var port: UInt16

    public init(address: IPAddress, proto: L4Protocol, port: UInt16) {
        self.address = address
        self.proto = proto
        self.port = port
    }

    public var description: String { "\(address) . \(proto) . \(port)" }

    public static func < (lhs: ServiceAddress, rhs: ServiceAddress) -> Bool {
        (lhs.address, lhs.proto, lhs.port) < (rhs.address, rhs.proto, rhs.port)
    }
}

/// A NodePort: (protocol . port), on every local address of the node.
public struct NodePortKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var proto: L4Protocol
    public var port: UInt16

    public init(proto: L4Protocol, port: UInt16) {
        self.proto = proto
        self.port = port
    }

    public var description: String { "\(proto) . \(port)" }

    public static func < (lhs: NodePortKey, rhs: NodePortKey) -> Bool { (lhs.proto, lhs.port) < (rhs.proto, rhs.port) }
}

/// Everything the proxy wants on this node for one IP family, independent of the
/// backend that programs it: built from Services and EndpointSlices, compared
/// with what was applied last time.
public struct ProxyModel: Hashable, Sendable {
    /// Every (address . protocol . port) a Service answers on: its cluster IP and,
    /// for traffic from outside, its external and load balancer IPs — those
    /// masquerade `.always` or `.never` (externalTrafficPolicy), a cluster IP
    /// `.outsideClusterCIDR`.
    public var clusterIPs: [ServiceAddress: Destination] = [:]
    public var nodePorts: [NodePortKey: Destination] = [:]
    /// The external addresses and NodePorts of Services with externalTrafficPolicy
    /// Local, as reached from this node's pods and from the node itself: balanced
    /// over every endpoint, as the cluster IP (``Frontend/shortcut(_:)``).
    public var shortcuts: [ServiceAddress: Destination] = [:]
    public var nodePortShortcuts: [NodePortKey: Destination] = [:]
    /// The Service port each ClusterIP port belongs to, as upstream names it
    /// ("namespace/name" or "namespace/name:port-name"): backends that name rules
    /// after Services (iptables' chain hashes and comments) use it; nftables does not.
    public var clusterIPNames: [ServiceAddress: String] = [:]
    /// The Service port each NodePort belongs to, named as in ``clusterIPNames``.
    public var nodePortNames: [NodePortKey: String] = [:]

    public init() {}
}

extension Destination {
    /// Balances as a cluster IP does (masquerading only traffic from outside the
    /// cluster CIDR), rather than as an external address.
    var isClusterBalance: Bool {
        if case .balance(_, _, .outsideClusterCIDR, _) = self { return true }
        return false
    }
}
