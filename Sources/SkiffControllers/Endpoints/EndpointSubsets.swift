import SkiffAPI

/// The subsets of a service's Endpoints object, as upstream's endpoints
/// controller computes them: one address per selected pod (in `addresses` when
/// ready or when the service publishes not-ready addresses, else in
/// `notReadyAddresses`), grouped so that addresses offering the same ports share
/// a subset (RepackSubsets), in a stable order.
enum EndpointSubsets {
    static func subsets(for service: Service, pods: [Pod]) -> [EndpointSubset] {
        let publishNotReady = service.spec.publishNotReadyAddresses == true
        let servicePorts = service.spec.ports ?? []
        // Address → (ready, ports): an address ready for one port is ready.
        var entries: [AddressKey: Entry] = [:]
        for pod in pods where pod.belongsInEndpoints(includeTerminating: publishNotReady) {
            guard var address = Self.address(for: pod, service: service) else { continue }
            if pod.publishesHostname(for: service) { address.hostname = pod.spec.hostname }
            let ready = publishNotReady || pod.isReady
            let key = AddressKey(address)
            if servicePorts.isEmpty {
                // Only a headless service may list addresses without ports.
                if service.spec.clusterIP == "None" { entries[key, default: Entry(address: address)].ready[noPort] = ready }
                continue
            }
            for servicePort in servicePorts {
                guard let number = pod.port(for: servicePort) else { continue }
                var port = EndpointPort()
                port.name = servicePort.name
                port.port = number
                port.protocol = servicePort.protocol ?? PortProtocol.tcp
                port.appProtocol = servicePort.appProtocol
                var entry = entries[key, default: Entry(address: address)]
                entry.ready[port] = (entry.ready[port] ?? false) || ready
                entries[key] = entry
            }
        }
        return repack(Array(entries.values))
    }

    /// podToEndpointAddressForService: the pod's IP of the service's family (its
    /// first IP family, else its cluster IP's, else the pod's own first IP's).
    static func address(for pod: Pod, service: Service) -> EndpointAddress? {
        let family: String
        if let first = service.spec.ipFamilies?.first {
            family = first
        } else if service.hasClusterIP {
            family = IPFamily.of(service.spec.clusterIP ?? "")
        } else {
            guard let ip = pod.addresses.first else { return nil }
            family = IPFamily.of(ip)
        }
        guard let ip = pod.addresses(ofType: family).first else { return nil }
        var address = EndpointAddress()
        address.ip = ip
        if let node = pod.spec.nodeName, !node.isEmpty { address.nodeName = node }
        address.targetRef = pod.endpointTargetRef
        return address
    }

    /// Stands for "no port" in a headless service without ports.
    private static let noPort = EndpointPort()

    private struct Entry {
        var address: EndpointAddress
        var ready: [EndpointPort: Bool] = [:]
    }

    /// An address is the same address when its IP and pod are.
    private struct AddressKey: Hashable {
        let ip: String
        let uid: String?
        init(_ address: EndpointAddress) {
            ip = address.ip
            uid = address.targetRef?.uid
        }
    }

    /// RepackSubsets: map each port to the addresses (with their readiness)
    /// that offer it, then ports with the same address set share one subset.
    private static func repack(_ entries: [Entry]) -> [EndpointSubset] {
        var portsToAddresses: [EndpointPort: Set<AddressReadiness>] = [:]
        for entry in entries {
            for (port, ready) in entry.ready { portsToAddresses[port, default: []].insert(AddressReadiness(entry.address, ready)) }
        }
        var addressesToPorts: [Set<AddressReadiness>: [EndpointPort]] = [:]
        for (port, addresses) in portsToAddresses { addressesToPorts[addresses, default: []].append(port) }
        let subsets = addressesToPorts.map { addresses, ports in
            var subset = EndpointSubset()
            let sorted = addresses.sorted { ($0.address.ip, $0.address.targetRef?.uid ?? "") < ($1.address.ip, $1.address.targetRef?.uid ?? "") }
            let ready = sorted.filter(\.ready).map(\.address)
            let notReady = sorted.filter { !$0.ready }.map(\.address)
            subset.addresses = ready.isEmpty ? nil : ready
            subset.notReadyAddresses = notReady.isEmpty ? nil : notReady
            let real = ports.filter { $0 != noPort }.sorted { ($0.name ?? "", $0.port, $0.protocol ?? "") < ($1.name ?? "", $1.port, $1.protocol ?? "") }
            subset.ports = real.isEmpty ? nil : real
            return subset
        }
        return subsets.sorted { (firstIP($0), portText($0)) < (firstIP($1), portText($1)) }
    }

    private struct AddressReadiness: Hashable {
        let address: EndpointAddress
        let ready: Bool
        init(_ address: EndpointAddress, _ ready: Bool) {
            self.address = address
            self.ready = ready
        }
    }

    private static func firstIP(_ subset: EndpointSubset) -> String {
        (subset.addresses?.first ?? subset.notReadyAddresses?.first)?.ip ?? ""
    }

    private static func portText(_ subset: EndpointSubset) -> String {
        (subset.ports ?? []).map { "\($0.name ?? "")/\($0.port)" }.joined(separator: ",")
    }
}
