import SkiffAPI

/// How one service's pods become slice endpoints and ports, as upstream's
/// endpointslice utils (podToEndpoint, getEndpointPorts, getAddressTypesForService).
enum SliceEndpoints {
    /// The node label whose value becomes an endpoint's zone.
    static let zoneLabel = "topology.kubernetes.io/zone"

    /// The endpoint for `pod` in a slice of `addressType`. Ready only when serving
    /// and not terminating, unless the service publishes not-ready addresses;
    /// serving follows the pod's Ready condition even while it terminates.
    static func endpoint(for pod: Pod, node: Node?, service: Service, addressType: String) -> Endpoint {
        let serving = pod.isReady
        let terminating = pod.metadata.deletionTimestamp != nil
        var endpoint = Endpoint()
        endpoint.addresses = pod.addresses(ofType: addressType)
        endpoint.conditions.ready = service.spec.publishNotReadyAddresses == true || (serving && !terminating)
        endpoint.conditions.serving = serving
        endpoint.conditions.terminating = terminating
        endpoint.targetRef = pod.endpointTargetRef
        if let nodeName = pod.spec.nodeName, !nodeName.isEmpty { endpoint.nodeName = nodeName }
        if let zone = node?.metadata.labels?[zoneLabel], !zone.isEmpty {
            endpoint.zone = zone
            // trafficDistribution PreferClose: a ready endpoint is hinted to its own zone
            // (upstream's preferCloseHeuristic); proxies in that zone then prefer it.
            if service.spec.trafficDistribution == "PreferClose", endpoint.conditions.ready == true {
                var zoneHint = ForZone()
                zoneHint.name = zone
                var hints = EndpointHints()
                hints.forZones = [zoneHint]
                endpoint.hints = hints
            }
        }
        if pod.publishesHostname(for: service) { endpoint.hostname = pod.spec.hostname }
        return endpoint
    }

    /// The service's ports as numbers on this pod; a port whose named target the
    /// pod lacks is left out. A headless service may have no ports at all.
    static func ports(of service: Service, on pod: Pod) -> [EndpointSlicePort] {
        var ports: [EndpointSlicePort] = []
        for servicePort in service.spec.ports ?? [] {
            guard let number = pod.port(for: servicePort) else { continue }
            var port = EndpointSlicePort()
            port.name = servicePort.name ?? ""
            port.protocol = servicePort.protocol ?? PortProtocol.tcp
            port.port = number
            port.appProtocol = servicePort.appProtocol
            ports.append(port)
        }
        return ports
    }

    /// The address types a service gets slices for: its IP families; without
    /// them the family of its cluster IP; a headless service without families
    /// gets both.
    static func addressTypes(of service: Service) -> [String] {
        let families = (service.spec.ipFamilies ?? []).filter { $0 == IPFamily.ipv4 || $0 == IPFamily.ipv6 }
        if !families.isEmpty { return Array(Set(families)).sorted() }
        if service.hasClusterIP { return [IPFamily.of(service.spec.clusterIP ?? "")] }
        return [IPFamily.ipv4, IPFamily.ipv6]
    }
}

/// An endpoint's identity within a service's slices (upstream's endpoint hash):
/// its addresses, hostname and the pod it stands for. Two endpoints with the same
/// key are the same endpoint, perhaps in different conditions.
struct EndpointKey: Hashable {
    let addresses: [String]
    let hostname: String?
    let namespace: String?
    let name: String?

    init(_ endpoint: Endpoint) {
        addresses = endpoint.addresses.sorted()
        hostname = endpoint.hostname
        namespace = endpoint.targetRef?.namespace
        name = endpoint.targetRef?.name
    }
}

/// A slice's port list as a key: slices group endpoints whose pods resolve the
/// service's ports to the same numbers (upstream's PortMapKey, order-insensitive).
struct PortsKey: Hashable {
    let ports: Set<EndpointSlicePort>

    init(_ ports: [EndpointSlicePort]) {
        self.ports = Set(ports)
    }
}
