import SkiffAPI

/// What the endpoints and endpoint slice controllers read from a pod
/// (upstream's endpointsliceutil and podutil helpers).
extension Pod {
    /// ShouldPodBeInEndpoints: not finished (Succeeded or Failed), has an IP, and
    /// — unless `includeTerminating` — not being deleted.
    func belongsInEndpoints(includeTerminating: Bool) -> Bool {
        if status.phase == "Succeeded" || status.phase == "Failed" { return false }
        if addresses.isEmpty { return false }
        return includeTerminating || metadata.deletionTimestamp == nil
    }

    /// The pod's IPs: `status.podIPs`, or `status.podIP` from a writer that set only that.
    var addresses: [String] {
        let listed = (status.podIPs ?? []).map(\.ip).filter { !$0.isEmpty }
        if !listed.isEmpty { return listed }
        return status.podIP.map { $0.isEmpty ? [] : [$0] } ?? []
    }

    /// The pod's IPs of one address family ("IPv4" or "IPv6").
    func addresses(ofType addressType: String) -> [String] {
        addresses.filter { IPFamily.of($0) == addressType }
    }

    /// podutil.FindPort: the number a service port's targetPort means on this pod —
    /// itself when a number, else the container port of that name and the service
    /// port's protocol (regular containers, then restartable init containers);
    /// nil when no container has it.
    func port(for servicePort: ServicePort) -> Int32? {
        switch servicePort.targetPort {
        case .int(let number):
            return number
        case .string(let name):
            let wanted = servicePort.protocol ?? PortProtocol.tcp
            let sidecars = (spec.initContainers ?? []).filter { $0.restartPolicy == "Always" }
            for container in spec.containers + sidecars {
                for port in container.ports ?? [] where port.name == name && (port.protocol ?? PortProtocol.tcp) == wanted {
                    return port.containerPort
                }
            }
            return nil
        }
    }

    /// ShouldSetHostname: a pod with a hostname whose subdomain is this service's name.
    func publishesHostname(for service: Service) -> Bool {
        !(spec.hostname ?? "").isEmpty && spec.subdomain == service.metadata.name
            && metadata.namespace == service.metadata.namespace
    }

    /// The reference endpoints carry to the pod behind them.
    var endpointTargetRef: ObjectReference {
        ObjectReference(kind: "Pod", namespace: metadata.namespace, name: metadata.name, uid: metadata.uid)
    }
}

/// Address families as the discovery API names them.
enum IPFamily {
    static let ipv4 = "IPv4"
    static let ipv6 = "IPv6"

    /// "IPv6" for an address with a colon, else "IPv4".
    static func of(_ address: String) -> String {
        address.contains(":") ? ipv6 : ipv4
    }
}

extension Service {
    /// A selector the controllers act on: upstream skips a nil selector, and an
    /// empty one does not survive a round trip through Go's omitempty.
    var podSelector: Labels.Selector? {
        guard let selector = spec.selector, !selector.isEmpty else { return nil }
        return Labels.Selector(matching: selector)
    }

    /// helper.IsServiceIPSet: a cluster IP other than None.
    var hasClusterIP: Bool {
        let ip = spec.clusterIP ?? ""
        return !ip.isEmpty && ip != "None"
    }
}
