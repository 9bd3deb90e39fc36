import SkiffAPI

/// Services and what backs them: services, endpoints and endpoint slices, as
/// upstream's printService, printEndpoints and printEndpointSlice show them.
enum ServiceTables {
    static let service = TablePrinter(
        Service.self,
        columns: [
            Column.name,
            Column.string("Type", "type determines how the Service is exposed."),
            Column.string("Cluster-IP", "clusterIP is the IP address of the service."),
            Column.string("External-IP", "externalIPs is a list of IP addresses for which nodes accept traffic."),
            Column.string("Port(s)", "The list of ports that are exposed by this service."),
            Column.age,
            Column.string(
                "Selector", "Route service traffic to pods with labels matching this selector.", priority: 1),
        ]
    ) { service, now in
        let ports = portsCell(service.spec.ports ?? [])
        return [
            .string(service.metadata.name ?? ""),
            .string(service.spec.type ?? ""),
            .string(service.spec.clusterIPs?.first ?? "<none>"),
            .string(externalIP(service)),
            .string(ports.isEmpty ? "<none>" : ports),
            .string(HumanDuration.since(service.metadata.creationTimestamp, now: now)),
            .string(TableFormatting.labels(service.spec.selector)),
        ]
    }

    /// "80/TCP", or "80:30080/TCP" with a node port, comma-separated.
    static func portsCell(_ ports: [ServicePort]) -> String {
        ports.map { port in
            let proto = port.protocol ?? ""
            if let nodePort = port.nodePort, nodePort > 0 { return "\(port.port):\(nodePort)/\(proto)" }
            return "\(port.port)/\(proto)"
        }.joined(separator: ",")
    }

    /// getServiceExternalIP with wide output (never clipped): external IPs, the load
    /// balancer's ingress points, "<pending>" for a load balancer without any.
    static func externalIP(_ service: Service) -> String {
        let externalIPs = service.spec.externalIPs ?? []
        switch service.spec.type {
        case ServiceType.clusterIP, ServiceType.nodePort:
            return externalIPs.isEmpty ? "<none>" : externalIPs.joined(separator: ",")
        case ServiceType.loadBalancer:
            let ingress = TableFormatting.sortedSet((service.status.loadBalancer.ingress ?? []).compactMap { point in
                if let ip = point.ip, !ip.isEmpty { return ip }
                if let hostname = point.hostname, !hostname.isEmpty { return hostname }
                return nil
            })
            if !externalIPs.isEmpty { return (ingress + externalIPs).joined(separator: ",") }
            return ingress.isEmpty ? "<pending>" : ingress.joined(separator: ",")
        case ServiceType.externalName:
            return service.spec.externalName ?? ""
        default:
            return "<unknown>"
        }
    }

    static let endpoints = TablePrinter(
        Endpoints.self,
        columns: [
            Column.name,
            Column.string("Endpoints", "The set of all endpoints is the union of all subsets."),
            Column.age,
        ]
    ) { endpoints, now in
        [
            .string(endpoints.metadata.name ?? ""),
            .string(endpointsCell(endpoints.subsets)),
            .string(HumanDuration.since(endpoints.metadata.creationTimestamp, now: now)),
        ]
    }

    /// formatEndpoints: up to three "ip:port" (or bare IPs for a subset without ports),
    /// then " + N more...", "<none>" without subsets.
    static func endpointsCell(_ subsets: [EndpointSubset]?) -> String {
        guard let subsets, !subsets.isEmpty else { return "<none>" }
        let shown = 3
        var list: [String] = []
        var count = 0
        for subset in subsets {
            let addresses = (subset.addresses ?? []).map(\.ip)
            let ports = subset.ports ?? []
            // Headless services may have no ports: then each address counts once, bare.
            let entries = ports.isEmpty
                ? addresses
                : ports.flatMap { port in addresses.map { hostPort($0, port.port) } }
            count += entries.count
            list.append(contentsOf: entries.prefix(max(0, shown - list.count)))
        }
        let text = list.joined(separator: ",")
        return count > shown ? "\(text) + \(count - shown) more..." : text
    }

    /// net.JoinHostPort: IPv6 addresses in brackets.
    private static func hostPort(_ host: String, _ port: Int32) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    static let endpointSlice = TablePrinter(
        EndpointSlice.self,
        columns: [
            Column.name,
            Column.string("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
            Column.string("Ports", "ports specifies the list of network ports exposed by each endpoint."),
            Column.string("Endpoints", "endpoints is a list of unique endpoints in this slice."),
            Column.age,
        ]
    ) { slice, now in
        let ports = slice.ports.map { port in port.port.map(String.init) ?? port.name ?? "*" }
        return [
            .string(slice.metadata.name ?? ""),
            .string(slice.addressType),
            .string(TableFormatting.listWithMore(ports)),
            .string(TableFormatting.listWithMore(slice.endpoints.flatMap(\.addresses))),
            .string(HumanDuration.since(slice.metadata.creationTimestamp, now: now)),
        ]
    }
}
