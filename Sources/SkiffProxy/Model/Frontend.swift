/// Where a Service's traffic arrives on this node: a ClusterIP port or a NodePort,
/// and for a Service with externalTrafficPolicy Local, the same external address
/// or NodePort as reached from this node's pods and from the node itself.
/// Each frontend has one ``Destination`` in the model.
public enum Frontend: Hashable, Sendable, CustomStringConvertible {
    case clusterIP(ServiceAddress)
    case nodePort(NodePortKey)
    /// An external or load balancer address of a Local Service, from this node's
    /// pods or the node itself: sent to every endpoint (upstream's short-circuit:
    /// only traffic from outside needs its client address kept).
    case shortcut(ServiceAddress)
    /// A NodePort of a Local Service, from this node's pods or the node itself.
    case nodePortShortcut(NodePortKey)

    public var proto: L4Protocol {
        switch self {
        case .clusterIP(let address), .shortcut(let address): address.proto
        case .nodePort(let nodePort), .nodePortShortcut(let nodePort): nodePort.proto
        }
    }

    public var description: String {
        switch self {
        case .clusterIP(let address): "\(address)"
        case .nodePort(let nodePort): "node port \(nodePort)"
        case .shortcut(let address): "\(address) from this node"
        case .nodePortShortcut(let nodePort): "node port \(nodePort) from this node"
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
            case .shortcut(let address): shortcuts[address]
            case .nodePortShortcut(let nodePort): nodePortShortcuts[nodePort]
            }
        }
        set {
            switch frontend {
            case .clusterIP(let address): clusterIPs[address] = newValue
            case .nodePort(let nodePort): nodePorts[nodePort] = newValue
            case .shortcut(let address): shortcuts[address] = newValue
            case .nodePortShortcut(let nodePort): nodePortShortcuts[nodePort] = newValue
            }
        }
    }

    /// The Service port a frontend belongs to (see ``clusterIPNames``); a shortcut
    /// is named as its external address or NodePort, which sets the name.
    public subscript(nameOf frontend: Frontend) -> String? {
        get {
            switch frontend {
            case .clusterIP(let address), .shortcut(let address): clusterIPNames[address]
            case .nodePort(let nodePort), .nodePortShortcut(let nodePort): nodePortNames[nodePort]
            }
        }
        set {
            switch frontend {
            case .clusterIP(let address): clusterIPNames[address] = newValue
            case .nodePort(let nodePort): nodePortNames[nodePort] = newValue
            case .shortcut, .nodePortShortcut: break
            }
        }
    }

    /// Every frontend with its destination.
    public var frontends: [(Frontend, Destination)] {
        clusterIPs.map { (.clusterIP($0.key), $0.value) } + nodePorts.map { (.nodePort($0.key), $0.value) }
            + shortcuts.map { (.shortcut($0.key), $0.value) } + nodePortShortcuts.map { (.nodePortShortcut($0.key), $0.value) }
    }
}
