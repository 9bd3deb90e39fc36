import SkiffAPI

/// Turns a Service and its EndpointSlices into its ``ServicePart`` for one IP
/// family, as seen from one node: the Service's cluster IP and external addresses
/// of that family, the EndpointSlices of that address type. Problems (an IPv6
/// Service on an IPv4-only node, an unsupported port) leave the rest of the
/// Service intact and are reported in ``ServicePart/problems``.
public struct ModelBuilder: Sendable {
    /// This node's name, for the Local traffic policies.
    public var nodeName: String
    /// The family this builder's model holds.
    public var family: IPFamily
    /// Every family this node's proxy programs (one builder each): addresses of
    /// other families are problems.
    public var nodeFamilies: [IPFamily]
    /// This node's `topology.kubernetes.io/zone`, for topology-aware routing (nil: none).
    public var zone: String?
    /// This node's addresses (its Node's status): when a Service's source ranges
    /// hold one, its load balancer IPs may be the source too (see
    /// ``loadBalancerSourceRanges(_:loadBalancerIPs:key:problems:)``).
    public var nodeAddresses: [IPAddress] = []

    public init(nodeName: String, family: IPFamily = .ipv4, nodeFamilies: [IPFamily]? = nil) {
        self.nodeName = nodeName
        self.family = family
        self.nodeFamilies = nodeFamilies ?? [family]
    }

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
        guard service.spec.type != ServiceType.externalName else { return ServicePart() }
        // Parsed once: a full sync builds 10,000 Services' parts per family.
        let clusterIPs = Self.clusterIPTexts(service.spec).map { (text: $0, address: IPAddress($0)) }
        var part = familyPart(of: service, key: key, slices: slices, clusterIPs: clusterIPs)
        // Every problem found here is the Service's own, not a family's (ports, addresses
        // of families this node lacks): every builder finds it, and the builder of the
        // first family the Service is programmed in reports it.
        let programmed = nodeFamilies.filter { family in clusterIPs.contains { $0.address?.family == family } }
        if (programmed.first ?? nodeFamilies.first) != family { part.problems = [] }
        return part
    }

    /// This family's part of `service`, with every problem the Service has.
    private func familyPart(
        of service: Service, key: ServiceKey, slices: [EndpointSlice], clusterIPs: [(text: String, address: IPAddress?)]
    ) -> ServicePart {
        var part = ServicePart()
        let spec = service.spec
        for ip in clusterIPs where !nodeFamilies.contains(where: { $0 == ip.address?.family }) {
            part.problems.append(ServiceProblem(key, .unsupportedAddress, "cluster IP \(ip.text) \(notProgrammed(ip.address))"))
        }
        guard let clusterIP = clusterIPs.lazy.compactMap(\.address).first(where: { $0.family == family }) else { return part }
        let slices = slices.filter { $0.addressType == family.rawValue }
        let affinity: Int32? = spec.sessionAffinity == "ClientIP"
            ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? Self.defaultAffinitySeconds) : nil
        let exposesNodePorts = spec.type == ServiceType.nodePort || spec.type == ServiceType.loadBalancer
        let external = externalAddresses(service, key: key, problems: &part.problems)
        let sourceRanges = loadBalancerSourceRanges(
            spec, loadBalancerIPs: external.filter(\.isLoadBalancer).map(\.address), key: key, problems: &part.problems)
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
            let endpoints = Self.endpoints(for: port, proto: proto, in: slices, family: family)
            // Cluster-wide traffic, topology-aware when the Service asks: in-zone endpoints first.
            let all = EndpointChoice.usable(
                EndpointChoice.clusterWide(endpoints, zone: zone, service: spec, annotations: service.metadata.annotations))
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
            // From this node's pods and the node itself, a Local Service's outside
            // frontends reach every endpoint: only outside clients need their address kept.
            let shortcut = externalLocal && !all.isEmpty
                ? EndpointChoice.destination(chosen: all, anyUsable: true, affinitySeconds: affinity, masquerade: .outsideClusterCIDR)
                : nil
            for (address, isLoadBalancer) in external {
                let key = ServiceAddress(address: address, proto: proto, port: servicePort)
                claim(.clusterIP(key), isLoadBalancer ? fromOutside.allowing(sourceRanges) : fromOutside, portName: portName)
                if let shortcut { claim(.shortcut(key), shortcut, portName: portName) }
            }
            guard exposesNodePorts, let nodePort = port.nodePort.flatMap({ UInt16(exactly: $0) }), nodePort > 0 else {
                continue
            }
            let key = NodePortKey(proto: proto, port: nodePort)
            claim(.nodePort(key), fromOutside, portName: portName)
            if let shortcut { claim(.nodePortShortcut(key), shortcut, portName: portName) }
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

    /// The addresses of this family besides the cluster IP where the Service's
    /// ports answer, each saying whether it is a load balancer's: `spec.externalIPs`,
    /// and for a LoadBalancer its ingress IPs (not those whose `ipMode` is Proxy:
    /// that load balancer delivers to the node itself, as upstream).
    func externalAddresses(
        _ service: Service, key: ServiceKey, problems: inout [ServiceProblem]
    ) -> [(address: IPAddress, isLoadBalancer: Bool)] {
        var texts = (service.spec.externalIPs ?? []).map { ($0, false) }
        if service.spec.type == ServiceType.loadBalancer {
            texts += (service.status.loadBalancer.ingress ?? []).filter { $0.ipMode != "Proxy" }.compactMap(\.ip).map { ($0, true) }
        }
        var addresses: [(address: IPAddress, isLoadBalancer: Bool)] = []
        for (text, isLoadBalancer) in texts {
            let address = IPAddress(text)
            guard let address, nodeFamilies.contains(address.family) else {
                problems.append(ServiceProblem(key, .unsupportedAddress, "external address \(text) \(notProgrammed(address))"))
                continue
            }
            guard address.family == family else { continue }
            if let index = addresses.firstIndex(where: { $0.address == address }) {
                // Both an external IP and a load balancer's: its source ranges apply.
                addresses[index].isLoadBalancer = addresses[index].isLoadBalancer || isLoadBalancer
            } else {
                addresses.append((address, isLoadBalancer))
            }
        }
        return addresses
    }

    /// `spec.loadBalancerSourceRanges` of this family, as few as cover them (the
    /// kernel's interval set refuses overlapping elements: 10.1.0.0/16 goes when
    /// 10.0.0.0/8 is there); nil when there are none of this family — as upstream,
    /// which then leaves this family's load balancer IPs open. When a range holds
    /// one of this node's addresses, the Service's `loadBalancerIPs` are allowed as
    /// sources too, as upstream's allowFromNode: a VIP bound on the node that the
    /// node reaches arrives with the VIP itself as its source.
    func loadBalancerSourceRanges(
        _ spec: ServiceSpec, loadBalancerIPs: [IPAddress], key: ServiceKey, problems: inout [ServiceProblem]
    ) -> [IPCIDR]? {
        guard spec.type == ServiceType.loadBalancer, let texts = spec.loadBalancerSourceRanges, !texts.isEmpty else { return nil }
        var ranges: [IPCIDR] = []
        for text in texts {
            // Upstream trims them: the API accepts " 10.0.0.0/8".
            guard let range = IPCIDR(text.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? "") else {
                problems.append(ServiceProblem(key, .unsupportedAddress, "load balancer source range \(text) is not a CIDR"))
                continue
            }
            if range.family == family { ranges.append(range) }
        }
        if ranges.contains(where: { range in nodeAddresses.contains(where: range.contains) }) {
            ranges += loadBalancerIPs.map(IPCIDR.init(host:))
        }
        var cover: [IPCIDR] = []
        for range in ranges.sorted(by: { $0.prefixLength < $1.prefixLength })
        where !cover.contains(where: { $0.contains(range.network) }) {
            cover.append(range)
        }
        return cover.isEmpty ? nil : cover
    }

    /// Why an address of a Service (nil: its text did not parse) is not programmed on this node.
    private func notProgrammed(_ address: IPAddress?) -> String {
        let families = nodeFamilies.map(\.rawValue).joined(separator: " and ")
        guard let address else { return "is not an IP address" }
        return "is \(address.family.rawValue); this node's proxy programs \(families) only"
    }

    /// The Service's cluster IPs as written: `clusterIPs`, else `clusterIP`; none
    /// for a headless Service.
    static func clusterIPTexts(_ spec: ServiceSpec) -> [String] {
        let ips = (spec.clusterIPs ?? []).isEmpty ? [spec.clusterIP].compactMap { $0 } : spec.clusterIPs ?? []
        return ips.filter { $0 != "None" && !$0.isEmpty }
    }

    /// The endpoints of one Service port: slices' ports match by name and protocol.
    static func endpoints(
        for port: ServicePort, proto: L4Protocol, in slices: [EndpointSlice], family: IPFamily
    ) -> [ServiceEndpoint] {
        var found: [ServiceEndpoint] = []
        for slice in slices {
            guard let slicePort = slice.ports.first(where: {
                ($0.name ?? "") == (port.name ?? "") && L4Protocol(kubernetes: $0.protocol) == proto
            }), let number = slicePort.port.flatMap({ UInt16(exactly: $0) }), number > 0
            else { continue }
            for endpoint in slice.endpoints {
                // Upstream uses an endpoint's first address; the others are the same pod's.
                guard let address = endpoint.addresses.first.flatMap(IPAddress.init), address.family == family else { continue }
                found.append(ServiceEndpoint(backend: Backend(address: address, port: number), endpoint: endpoint))
            }
        }
        return found
    }
}
