/// One field of a set element's key or data, as nftables lays it out: every
/// field takes a whole number of 32-bit registers, zero-padded.
public enum Field: Hashable, Sendable, CustomStringConvertible {
    /// A slot number (numgen's result, the packet mark): host byte order.
    case mark(UInt32)
    case ipv4(IPv4)
    case proto(L4Protocol)
    case port(UInt16)

    var bytes: [UInt8] {
        switch self {
        case .mark(let value): withUnsafeBytes(of: value) { Array($0) }
        case .ipv4(let address): address.bytes
        case .proto(let proto): [proto.number, 0, 0, 0]
        case .port(let port): [UInt8(port >> 8), UInt8(port & 0xff), 0, 0]
        }
    }

    public var description: String {
        switch self {
        case .mark(let value): "\(value)"
        case .ipv4(let address): "\(address)"
        case .proto(let proto): proto.rawValue
        case .port(let port): "\(port)"
        }
    }
}

/// What a map element maps its key to.
public enum ElementData: Hashable, Sendable, CustomStringConvertible {
    /// A set, not a map: the key alone.
    case none
    case goto(String)
    case drop
    case backend(Backend)
    case mark(UInt32)

    public var description: String {
        switch self {
        case .none: ""
        case .goto(let chain): "goto \(chain)"
        case .drop: "drop"
        case .backend(let backend): "\(backend.address) . \(backend.port)"
        case .mark(let value): "\(value)"
        }
    }
}

/// A set element: its key's fields.
public typealias ElementKey = [Field]

/// The sets and maps of the `skiff` table. Their contents are the proxy's whole
/// per-Service state; the chains only exist per shape.
public enum NFTSet: String, CaseIterable, Hashable, Comparable, Sendable {
    /// ClusterIP . protocol . port → goto the chain of the Service's shape.
    case serviceIPs = "service_ips"
    /// protocol . NodePort → goto the chain of the Service's shape.
    case nodePorts = "node_ports"
    /// slot . ClusterIP . protocol . port → endpoint address . port.
    case slots
    /// slot . protocol . NodePort → endpoint address . port.
    case nodePortSlots = "node_port_slots"
    /// ClusterIP . protocol . port of Services without usable endpoints → goto reject / drop.
    case noEndpoints = "no_endpoints"
    /// protocol . NodePort of Services without usable endpoints → goto reject / drop.
    case noEndpointNodePorts = "no_endpoint_node_ports"
    /// endpoint . endpoint: a pod reaching itself through a Service is masqueraded.
    case hairpin
    /// client . destination . protocol . port → the slot it last used (dynamic, with timeouts).
    case affinity

    /// nftables datatype numbers (nft's datatypes.h), for `nft list` to print the elements.
    enum DataType: UInt32 {
        case ipv4 = 7, proto = 12, service = 13, mark = 19
    }

    var keyTypes: [DataType] {
        switch self {
        case .serviceIPs, .noEndpoints: [.ipv4, .proto, .service]
        case .nodePorts, .noEndpointNodePorts: [.proto, .service]
        case .slots: [.mark, .ipv4, .proto, .service]
        case .nodePortSlots: [.mark, .proto, .service]
        case .hairpin: [.ipv4, .ipv4]
        case .affinity: [.ipv4, .ipv4, .proto, .service]
        }
    }

    /// nil: a plain set; [] a verdict map; else the data's fields.
    var dataTypes: [DataType]? {
        switch self {
        case .serviceIPs, .nodePorts, .noEndpoints, .noEndpointNodePorts: []
        case .slots, .nodePortSlots: [.ipv4, .service]
        case .hairpin: nil
        case .affinity: [.mark]
        }
    }

    /// Elements the proxy owns (the affinity map is filled by the packet path).
    var isProgrammed: Bool { self != .affinity }

    /// A concatenation's type as nft numbers it: six bits per field, first field highest.
    static func concatenatedType(_ types: [DataType]) -> UInt32 {
        types.reduce(0) { $0 << 6 | $1.rawValue }
    }

    public static func < (lhs: NFTSet, rhs: NFTSet) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
