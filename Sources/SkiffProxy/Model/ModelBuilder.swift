import SkiffAPI

/// Turns a Service and its EndpointSlices into its ``ServicePart`` for IPv4, as
/// seen from one node. Problems (an IPv6 Service on this IPv4 proxy, an
/// unsupported port) leave the rest of the Service intact and are reported in
/// ``ServicePart/problems``.
public struct ModelBuilder: Sendable {
    /// This node's name, for the Local traffic policies.
    public var nodeName: String

    public init(nodeName: String) { self.nodeName = nodeName }

    public struct Result: Sendable {
        public var model = ProxyModel()
        public var problems: [ServiceProblem] = []
    }

    /// The label an EndpointSlice carries with its Service's name.
    public static let serviceNameLabel = "kubernetes.io/service-name"
    static let defaultAffinitySeconds: Int32 = 10800

    /// The whole model at once (what ``IncrementalModel`` keeps up to date).
    public func build(services: [Service], slices: [EndpointSlice]) -> Result {
        let slicesByService = Dictionary(grouping: slices) { ServiceKey(of: $0) }
        var incremental = IncrementalModel(builder: self)
        var changes = ModelChanges()
        for service in services {
            let key = ServiceKey(service.metadata)
            incremental.update(key, service: service, slices: slicesByService[key] ?? [], changes: &changes)
        }
        return Result(model: incremental.model, problems: incremental.problems)
    }

    /// What `service` (named `key`) asks of this node, given its EndpointSlices.
    public func part(of service: Service, key: ServiceKey, slices: [EndpointSlice]) -> ServicePart {
        var part = ServicePart()
        let spec = service.spec
        guard spec.type != ServiceType.externalName else { return part }
        guard let clusterIP = Self.clusterIPv4(spec) else {
            if let ip = spec.clusterIP, ip != "None", !ip.isEmpty {
                part.problems.append(ServiceProblem(key, .unsupportedAddress, "cluster IP \(ip) is not IPv4; this proxy programs IPv4 only"))
            }
            return part
        }
        let slices = slices.filter { $0.addressType == "IPv4" }
        let affinity: Int32? = spec.sessionAffinity == "ClientIP"
            ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? Self.defaultAffinitySeconds) : nil
        let exposesNodePorts = spec.type == ServiceType.nodePort || spec.type == ServiceType.loadBalancer
        let external = Self.externalAddresses(service, key: key, problems: &part.problems)
        part.healthCheck = healthCheck(spec, slices: slices)
        func claim(_ frontend: Frontend, _ destination: Destination, portName: String) {
            guard part.claims[frontend] == nil else {
                part.problems.append(ServiceProblem(key, .duplicatePort, "\(frontend) is listed twice"))
                return
            }
            part.claims[frontend] = ServicePart.Claim(destination: destination, portName: portName)
        }
        for port in spec.ports ?? [] {
            guard let proto = L4Protocol(kubernetes: port.protocol), let servicePort = UInt16(exactly: port.port),
                servicePort > 0
            else {
                part.problems.append(ServiceProblem(key, .unsupportedPort, "port \(port.port)/\(port.protocol ?? "TCP") is not supported"))
                continue
            }
            let endpoints = Self.endpoints(for: port, proto: proto, in: slices)
            let all = EndpointChoice.usable(endpoints)
            let local = EndpointChoice.usableLocal(endpoints, nodeName: nodeName)
            let portName = port.name.map { $0.isEmpty ? "\(key)" : "\(key):\($0)" } ?? "\(key)"
            claim(
                .clusterIP(ServiceAddress(address: clusterIP, proto: proto, port: servicePort)),
                EndpointChoice.destination(
                    chosen: spec.internalTrafficPolicy == "Local" ? local : all, anyUsable: !all.isEmpty,
                    affinitySeconds: affinity, masquerade: .outsideClusterCIDR),
                portName: portName)
            // Traffic from outside the cluster: NodePorts, external IPs and load balancer
            // IPs, all under externalTrafficPolicy.
            let externalLocal = spec.externalTrafficPolicy == "Local"
            let fromOutside = EndpointChoice.destination(
                chosen: externalLocal ? local : all, anyUsable: !all.isEmpty, affinitySeconds: affinity,
                masquerade: externalLocal ? .never : .always)
            for address in external {
                claim(.clusterIP(ServiceAddress(address: address, proto: proto, port: servicePort)), fromOutside, portName: portName)
            }
            guard exposesNodePorts, let nodePort = port.nodePort.flatMap({ UInt16(exactly: $0) }), nodePort > 0 else {
                continue
            }
            claim(.nodePort(NodePortKey(proto: proto, port: nodePort)), fromOutside, portName: portName)
        }
        return part
    }

    /// The health check a LoadBalancer Service with externalTrafficPolicy Local has
    /// on every node (the API server allocates its port).
    func healthCheck(_ spec: ServiceSpec, slices: [EndpointSlice]) -> ServicePart.HealthCheck? {
        guard spec.type == ServiceType.loadBalancer, spec.externalTrafficPolicy == "Local",
            let port = spec.healthCheckNodePort.flatMap({ UInt16(exactly: $0) }), port > 0
        else { return nil }
        var local = Set<String>()
        for slice in slices {
            for endpoint in slice.endpoints where endpoint.nodeName == nodeName && (endpoint.conditions.ready ?? true) {
                if let address = endpoint.addresses.first { local.insert(address) }
            }
        }
        return ServicePart.HealthCheck(port: port, localEndpoints: local.count)
    }

    /// The addresses besides the cluster IP where the Service's ports answer:
    /// `spec.externalIPs`, and for a LoadBalancer its ingress IPs (not those whose
    /// `ipMode` is Proxy: that load balancer delivers to the node itself, as upstream).
    static func externalAddresses(_ service: Service, key: ServiceKey, problems: inout [ServiceProblem]) -> [IPv4] {
        var texts = service.spec.externalIPs ?? []
        if service.spec.type == ServiceType.loadBalancer {
            texts += (service.status.loadBalancer.ingress ?? []).filter { $0.ipMode != "Proxy" }.compactMap(\.ip)
        }
        var addresses: [IPv4] = []
        for text in texts {
            guard let address = IPv4(text) else {
                problems.append(ServiceProblem(key, .unsupportedAddress, "external address \(text) is not IPv4; this proxy programs IPv4 only"))
                continue
            }
            if !addresses.contains(address) { addresses.append(address) }
        }
        return addresses
    }

    /// The Service's IPv4 cluster IP: `clusterIP`, or the IPv4 one of `clusterIPs` when dual-stack.
    static func clusterIPv4(_ spec: ServiceSpec) -> IPv4? {
        let candidates = [spec.clusterIP].compactMap { $0 } + (spec.clusterIPs ?? [])
        return candidates.lazy.compactMap { IPv4($0) }.first
    }

    /// The endpoints of one Service port: slices' ports match by name and protocol.
    static func endpoints(for port: ServicePort, proto: L4Protocol, in slices: [EndpointSlice]) -> [ServiceEndpoint] {
        var found: [ServiceEndpoint] = []
        for slice in slices {
            guard let slicePort = slice.ports.first(where: {
                ($0.name ?? "") == (port.name ?? "") && L4Protocol(kubernetes: $0.protocol) == proto
            }), let number = slicePort.port.flatMap({ UInt16(exactly: $0) }), number > 0
            else { continue }
            for endpoint in slice.endpoints {
                // Upstream uses an endpoint's first address; the others are the same pod's.
                guard let address = endpoint.addresses.first.flatMap(IPv4.init) else { continue }
                found.append(ServiceEndpoint(backend: Backend(address: address, port: number), endpoint: endpoint))
            }
        }
        return found
    }
}
