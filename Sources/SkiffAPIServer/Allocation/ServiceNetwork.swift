/// The node ports Services of type NodePort and LoadBalancer get (`--service-node-port-range`).
public struct NodePortRange: Hashable, Sendable, CustomStringConvertible {
    public let ports: ClosedRange<Int>

    public init(_ ports: ClosedRange<Int>) throws(ServiceNetworkError) {
        guard ports.lowerBound >= 1, ports.upperBound <= 65535 else {
            throw ServiceNetworkError("invalid node port range \(ports.lowerBound)-\(ports.upperBound): ports are 1-65535")
        }
        self.ports = ports
    }

    /// Parses `30000-32767` (or a single port).
    public init(_ text: String) throws(ServiceNetworkError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let low = Int(parts[0]), let high = Int(parts[parts.count - 1]), low <= high else {
            throw ServiceNetworkError("invalid node port range \(text): expected e.g. 30000-32767")
        }
        try self.init(low...high)
    }

    var size: Int { ports.count }

    /// Offsets below this are left to requested ports while dynamic ones remain
    /// (upstream: min(max(16, size/32), 128)).
    var staticBandSize: Int {
        guard size > 16 else { return 0 }
        return min(max(16, size / 32), 128)
    }

    /// `30000-32767`, as upstream prints a range in its errors.
    public var description: String { "\(ports.lowerBound)-\(ports.upperBound)" }
}

/// Where Services' cluster IPs and node ports come from, and how repair treats
/// allocations it finds without their Service.
///
/// A dual-stack cluster has a secondary service CIDR of the other family
/// (`--service-cluster-ip-range 10.43.0.0/16,fd00:43::/108`); the primary's
/// family is the one Services get when they ask for nothing else.
public struct ServiceNetwork: Hashable, Sendable {
    /// The primary service CIDR; its first address is the `kubernetes` Service's.
    public let serviceCIDR: ServiceCIDR
    /// The service CIDR of the other family on a dual-stack cluster.
    public let secondaryServiceCIDR: ServiceCIDR?
    public var nodePorts: NodePortRange
    /// How old an allocation whose Service does not hold it must be before repair
    /// frees it: a create writes the allocation first and the Service just after, so
    /// a younger one may belong to a write still under way (upstream waits 60 s).
    public var leakGracePeriod: Duration

    /// A single-stack network.
    public init(serviceCIDR: ServiceCIDR, nodePorts: NodePortRange, leakGracePeriod: Duration = .seconds(60)) {
        self.serviceCIDR = serviceCIDR
        secondaryServiceCIDR = nil
        self.nodePorts = nodePorts
        self.leakGracePeriod = leakGracePeriod
    }

    /// One or two service CIDRs, primary first; two must be of different families.
    public init(serviceCIDRs: [ServiceCIDR], nodePorts: NodePortRange, leakGracePeriod: Duration = .seconds(60))
        throws(ServiceNetworkError)
    {
        guard let primary = serviceCIDRs.first else { throw ServiceNetworkError("at least one service CIDR is required") }
        guard serviceCIDRs.count <= 2 else {
            throw ServiceNetworkError("at most two service CIDRs may be given, one per IP family")
        }
        if serviceCIDRs.count == 2, serviceCIDRs[1].family == primary.family {
            throw ServiceNetworkError(
                "service CIDRs \(primary) and \(serviceCIDRs[1]) must be of different IP families (one IPv4, one IPv6)")
        }
        serviceCIDR = primary
        secondaryServiceCIDR = serviceCIDRs.count == 2 ? serviceCIDRs[1] : nil
        self.nodePorts = nodePorts
        self.leakGracePeriod = leakGracePeriod
    }

    /// Parses `--service-cluster-ip-range`: one CIDR, or two of different families
    /// separated by a comma (`10.43.0.0/16,fd00:43::/108`).
    public static func parseServiceCIDRs(_ text: String) throws(ServiceNetworkError) -> [ServiceCIDR] {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false)
        guard entries.count <= 2 else {
            throw ServiceNetworkError("at most two service CIDRs may be given, one per IP family")
        }
        var cidrs: [ServiceCIDR] = []
        for entry in entries {
            guard !entry.isEmpty else { throw ServiceNetworkError("a service CIDR is empty") }
            cidrs.append(try ServiceCIDR(String(entry)))
        }
        return cidrs
    }

    /// Primary first.
    public var serviceCIDRs: [ServiceCIDR] { [serviceCIDR] + (secondaryServiceCIDR.map { [$0] } ?? []) }

    /// Whether Services may have a cluster IP of each family.
    public var isDualStack: Bool { secondaryServiceCIDR != nil }

    /// The CIDR of `family`; nil when the cluster does not have that family.
    public func serviceCIDR(for family: ServiceIP.Family) -> ServiceCIDR? {
        serviceCIDRs.first { $0.family == family }
    }

    /// 10.43.0.0/16 and 30000–32767 (``APIServerDefaults``).
    public static let `default`: ServiceNetwork = {
        do {
            return ServiceNetwork(
                serviceCIDR: try ServiceCIDR(APIServerDefaults.serviceCIDR),
                nodePorts: try NodePortRange(APIServerDefaults.nodePortRange))
        } catch {
            fatalError("the default service network does not parse: \(error)")
        }
    }()
}

extension Duration {
    /// The duration in whole nanoseconds, as ``Time`` counts them.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
