/// One field of a set element's key or data, as nftables lays it out: every
/// field takes a whole number of 32-bit registers, zero-padded.
public enum Field: Hashable, Sendable, CustomStringConvertible {
    /// A slot number (numgen's result, the packet mark): host byte order.
    case mark(UInt32)
    /// An address of the table's family: 4 bytes (one register) or 16 (four).
    case address(IPAddress)
    case proto(L4Protocol)
    case port(UInt16)
    /// A source range in an interval set: the key holds its first address, the
    /// element's end key its last.
    case prefix(IPCIDR)

    var bytes: [UInt8] {
        switch self {
        case .mark(let value): withUnsafeBytes(of: value) { Array($0) }
        case .address(let address): address.bytes
        case .proto(let proto): [proto.number, 0, 0, 0]
        case .port(let port): [UInt8(port >> 8), UInt8(port & 0xff), 0, 0]
        case .prefix(let range): range.network.bytes
        }
    }

    /// The bytes of an interval element's end key: a range's last address, the
    /// other fields as they are.
    var endBytes: [UInt8] {
        guard case .prefix(let range) = self else { return bytes }
        return IPAddress(family: range.family, value: range.network.value | ~range.mask).bytes
    }

    public var description: String {
        switch self {
        case .mark(let value): "\(value)"
        case .address(let address): "\(address)"
        case .proto(let proto): proto.rawValue
        case .port(let port): "\(port)"
        case .prefix(let range): "\(range)"
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

/// The sets and maps of a `skiff` table (the same in `ip skiff` and `ip6 skiff`,
/// addresses 4 or 16 bytes wide). Their contents are the proxy's whole
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
    /// load balancer IP . protocol . port of Services with loadBalancerSourceRanges.
    case firewalled
    /// load balancer IP . protocol . port . source range allowed to reach it (an
    /// interval set over the concatenation: each element covers one range).
    case firewallAllowed = "firewall_allowed"
    /// A Local Service's external address . protocol . port, from this node's pods
    /// or the node → goto the shortcut chain of its shape.
    case shortcuts
    /// protocol . NodePort of a Local Service, from this node → goto its shortcut chain.
    case nodePortShortcuts = "node_port_shortcuts"
    /// slot . external address . protocol . port → endpoint address . port (every endpoint).
    case shortcutSlots = "shortcut_slots"
    /// slot . protocol . NodePort → endpoint address . port (every endpoint).
    case nodePortShortcutSlots = "node_port_shortcut_slots"

    /// nftables datatype numbers (nft's datatypes.h), for `nft list` to print the elements.
    enum DataType: UInt32 {
        case ipv4 = 7, ipv6 = 8, proto = 12, service = 13, mark = 19

        static func address(_ family: IPFamily) -> DataType { family == .ipv4 ? .ipv4 : .ipv6 }

        /// Bytes the field takes in a key: whole registers.
        var length: Int { self == .ipv6 ? 16 : 4 }

        /// Bytes the value itself has (an interval set's description of its fields).
        var valueLength: Int {
            switch self {
            case .ipv4, .mark: 4
            case .ipv6: 16
            case .proto: 1
            case .service: 2
            }
        }
    }

    /// The key's fields in a table of `family`.
    func keyTypes(_ family: IPFamily) -> [DataType] {
        let address = DataType.address(family)
        return switch self {
        case .serviceIPs, .noEndpoints: [address, .proto, .service]
        case .nodePorts, .noEndpointNodePorts: [.proto, .service]
        case .slots: [.mark, address, .proto, .service]
        case .nodePortSlots: [.mark, .proto, .service]
        case .hairpin: [address, address]
        case .affinity: [address, address, .proto, .service]
        case .firewalled, .shortcuts: [address, .proto, .service]
        case .firewallAllowed: [address, .proto, .service, address]
        case .nodePortShortcuts: [.proto, .service]
        case .shortcutSlots: [.mark, address, .proto, .service]
        case .nodePortShortcutSlots: [.mark, .proto, .service]
        }
    }

    /// nil: a plain set; [] a verdict map; else the data's fields.
    func dataTypes(_ family: IPFamily) -> [DataType]? {
        switch self {
        case .serviceIPs, .nodePorts, .noEndpoints, .noEndpointNodePorts, .shortcuts, .nodePortShortcuts: []
        case .slots, .nodePortSlots, .shortcutSlots, .nodePortShortcutSlots: [DataType.address(family), .service]
        case .hairpin, .firewalled, .firewallAllowed: nil
        case .affinity: [.mark]
        }
    }

    /// Elements the proxy owns (the affinity map is filled by the packet path).
    var isProgrammed: Bool { self != .affinity }

    /// An interval set: elements are ranges (start and end keys), looked up by the
    /// kernel's pipapo set over the concatenation.
    var isInterval: Bool { self == .firewallAllowed }

    /// A concatenation's type as nft numbers it: six bits per field, first field highest.
    static func concatenatedType(_ types: [DataType]) -> UInt32 {
        types.reduce(0) { $0 << 6 | $1.rawValue }
    }

    public static func < (lhs: NFTSet, rhs: NFTSet) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
