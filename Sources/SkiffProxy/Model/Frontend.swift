/// Where a Service's traffic arrives on this node: a ClusterIP port or a NodePort.
/// Each frontend has one ``Destination`` in the model.
public enum Frontend: Hashable, Sendable, CustomStringConvertible {
    case clusterIP(ServiceAddress)
    case nodePort(NodePortKey)

    public var proto: L4Protocol {
        switch self {
        case .clusterIP(let address): address.proto
        case .nodePort(let nodePort): nodePort.proto
        }
    }

    public var description: String {
        switch self {
        case .clusterIP(let address): "\(address)"
        case .nodePort(let nodePort): "node port \(nodePort)"
        }
    }
}

extension ProxyModel {
    /// The destination of one frontend (nil: none), read or written in place.
    public subscript(frontend: Frontend) -> Destination? {
        get {
            switch frontend {
            case .clusterIP(let address): clusterIPs[address]
            case .nodePort(let nodePort): nodePorts[nodePort]
            }
        }
        set {
            switch frontend {
            case .clusterIP(let address): clusterIPs[address] = newValue
            case .nodePort(let nodePort): nodePorts[nodePort] = newValue
            }
        }
    }

    /// The Service port a frontend belongs to (see ``clusterIPNames``).
    public subscript(nameOf frontend: Frontend) -> String? {
        get {
            switch frontend {
            case .clusterIP(let address): clusterIPNames[address]
            case .nodePort(let nodePort): nodePortNames[nodePort]
            }
        }
        set {
            switch frontend {
            case .clusterIP(let address): clusterIPNames[address] = newValue
            case .nodePort(let nodePort): nodePortNames[nodePort] = newValue
            }
        }
    }

    /// Every frontend with its destination.
    public var frontends: [(Frontend, Destination)] {
        clusterIPs.map { (.clusterIP($0.key), $0.value) } + nodePorts.map { (.nodePort($0.key), $0.value) }
    }
}
