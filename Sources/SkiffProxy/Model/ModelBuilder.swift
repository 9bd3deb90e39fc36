import SkiffAPI

/// Builds the ``ProxyModel`` for IPv4 from the cluster's Services and
/// EndpointSlices, as seen from one node. Problems (an IPv6 Service on this
/// IPv4 proxy, two Services claiming one NodePort) leave the rest intact and
/// are reported in ``Result/problems``.
public struct ModelBuilder: Sendable {
    /// This node's name, for the Local traffic policies.
    public var nodeName: String

    public init(nodeName: String) { self.nodeName = nodeName }

    public struct Result: Sendable {
        public var model = ProxyModel()
        public var problems: [String] = []
    }

    /// The label an EndpointSlice carries with its Service's name.
    public static let serviceNameLabel = "kubernetes.io/service-name"
    static let defaultAffinitySeconds: Int32 = 10800

    public func build(services: [Service], slices: [EndpointSlice]) -> Result {
        var result = Result()
        let slicesByService = Dictionary(grouping: slices.filter { $0.addressType == "IPv4" }) { slice in
            "\(slice.metadata.namespace ?? "")/\(slice.metadata.labels?[Self.serviceNameLabel] ?? "")"
        }
        // A stable order, so that when two Services claim one address the same one wins every sync.
        let ordered = services.sorted { ($0.metadata.namespace ?? "", $0.metadata.name ?? "") < ($1.metadata.namespace ?? "", $1.metadata.name ?? "") }
        for service in ordered {
            let key = "\(service.metadata.namespace ?? "")/\(service.metadata.name ?? "")"
            add(service, named: key, slices: slicesByService[key] ?? [], to: &result)
        }
        return result
    }

    private func add(_ service: Service, named key: String, slices: [EndpointSlice], to result: inout Result) {
        let spec = service.spec
        guard spec.type != ServiceType.externalName else { return }
        guard let clusterIP = Self.clusterIPv4(spec) else {
            if let ip = spec.clusterIP, ip != "None", !ip.isEmpty {
                result.problems.append("service \(key): cluster IP \(ip) is not IPv4; this proxy programs IPv4 only")
            }
            return
        }
        let affinity: Int32? = spec.sessionAffinity == "ClientIP"
            ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? Self.defaultAffinitySeconds) : nil
        let exposesNodePorts = spec.type == ServiceType.nodePort || spec.type == ServiceType.loadBalancer
        for port in spec.ports ?? [] {
            guard let proto = L4Protocol(kubernetes: port.protocol), let servicePort = UInt16(exactly: port.port),
                servicePort > 0
            else {
                result.problems.append("service \(key): port \(port.port)/\(port.protocol ?? "TCP") is not supported")
                continue
            }
            let endpoints = Self.endpoints(for: port, proto: proto, in: slices)
            let all = EndpointChoice.usable(endpoints)
            let local = EndpointChoice.usableLocal(endpoints, nodeName: nodeName)
            let internalChosen = spec.internalTrafficPolicy == "Local" ? local : all
            let address = ServiceAddress(address: clusterIP, proto: proto, port: servicePort)
            let portName = port.name.map { $0.isEmpty ? key : "\(key):\($0)" } ?? key
            if result.model.clusterIPs[address] != nil {
                result.problems.append("service \(key): \(address) is already used by another service")
            } else {
                result.model.clusterIPNames[address] = portName
                result.model.clusterIPs[address] = EndpointChoice.destination(
                    chosen: internalChosen, anyUsable: !all.isEmpty, affinitySeconds: affinity,
                    masquerade: .outsideClusterCIDR)
            }
            guard exposesNodePorts, let nodePort = port.nodePort.flatMap({ UInt16(exactly: $0) }), nodePort > 0 else {
                continue
            }
            let externalLocal = spec.externalTrafficPolicy == "Local"
            let nodePortKey = NodePortKey(proto: proto, port: nodePort)
            if result.model.nodePorts[nodePortKey] != nil {
                result.problems.append("service \(key): node port \(nodePortKey) is already used by another service")
                continue
            }
            result.model.nodePortNames[nodePortKey] = portName
            result.model.nodePorts[nodePortKey] = EndpointChoice.destination(
                chosen: externalLocal ? local : all, anyUsable: !all.isEmpty, affinitySeconds: affinity,
                masquerade: externalLocal ? .never : .always)
        }
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
