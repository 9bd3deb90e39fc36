import SkiffAPI

/// A Service's namespace and name. Ordered as the pair (not as "namespace/name",
/// where "a-b/x" would sort before "a/x"): when two Services claim one frontend,
/// the first in this order gets it.
public struct ServiceKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public init(_ metadata: ObjectMeta) { self.init(namespace: metadata.namespace ?? "", name: metadata.name ?? "") }

    /// The Service an EndpointSlice belongs to, from its label (nil: none).
    public init?(of slice: EndpointSlice) {
        guard let name = slice.metadata.labels?[ModelBuilder.serviceNameLabel], !name.isEmpty else { return nil }
        self.init(namespace: slice.metadata.namespace ?? "", name: name)
    }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (lhs: ServiceKey, rhs: ServiceKey) -> Bool { (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name) }
}

/// What one Service asks of this node's proxy, from the Service and its
/// EndpointSlices alone: a destination per frontend, and what could not be programmed.
public struct ServicePart: Hashable, Sendable {
    public struct Claim: Hashable, Sendable {
        public var destination: Destination
        /// The Service port, as ``ProxyModel/clusterIPNames`` names it.
        public var portName: String
    }

    /// What a LoadBalancer Service with externalTrafficPolicy Local asks of every
    /// node: an HTTP answer on its `healthCheckNodePort` saying whether this node has
    /// endpoints of it, so that the load balancer sends only to nodes that have.
    public struct HealthCheck: Hashable, Sendable {
        public var port: UInt16
        /// This node's ready endpoints of the Service (distinct addresses, any port).
        public var localEndpoints: Int

        public init(port: UInt16, localEndpoints: Int) {
            self.port = port
            self.localEndpoints = localEndpoints
        }
    }

    public var claims: [Frontend: Claim] = [:]
    public var healthCheck: HealthCheck?
    public var problems: [ServiceProblem] = []

    public init() {}
}
