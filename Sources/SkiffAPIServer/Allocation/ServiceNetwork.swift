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
public struct ServiceNetwork: Hashable, Sendable {
    public var serviceCIDR: ServiceCIDR
    public var nodePorts: NodePortRange
    /// How old an allocation whose Service does not hold it must be before repair
    /// frees it: a create writes the allocation first and the Service just after, so
    /// a younger one may belong to a write still under way (upstream waits 60 s).
    public var leakGracePeriod: Duration

    public init(serviceCIDR: ServiceCIDR, nodePorts: NodePortRange, leakGracePeriod: Duration = .seconds(60)) {
        self.serviceCIDR = serviceCIDR
        self.nodePorts = nodePorts
        self.leakGracePeriod = leakGracePeriod
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
