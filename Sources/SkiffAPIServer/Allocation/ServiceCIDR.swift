/// An IP address of either family as one 128-bit number, so that range arithmetic
/// has one code path. Only IPv4 is parsed and printed today; an IPv6 text is
/// recognised as such (for upstream's "IPv6 is not configured on this cluster"),
/// and IPv6 service ranges come with a parser and RFC 5952 printing.
public struct ServiceIP: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// `spec.ipFamilies` values.
    public enum Family: String, Sendable, Hashable {
        case ipv4 = "IPv4"
        case ipv6 = "IPv6"

        /// Address width in bits.
        public var bits: Int { self == .ipv4 ? 32 : 128 }
    }

    public let family: Family
    public let value: UInt128

    public init(family: Family, value: UInt128) {
        self.family = family
        self.value = value
    }

    /// Parses dotted-quad IPv4 as upstream's ParseIPSloppy (leading zeros allowed);
    /// nil for anything else, IPv6 included.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt128 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let octet = UInt8(part)
            else { return nil }
            value = value << 8 | UInt128(octet)
        }
        self.init(family: .ipv4, value: value)
    }

    /// The family a `spec.clusterIPs` entry names: IPv6 for anything with a colon,
    /// IPv4 for a dotted quad, nil otherwise.
    public static func family(of text: String) -> Family? {
        if text.contains(":") { return .ipv6 }
        return ServiceIP(text) == nil ? nil : .ipv4
    }

    /// Whether `text` is a loopback address (127.0.0.0/8 or ::1), which endpoints may not name.
    public static func isLoopback(_ text: String) -> Bool {
        if let address = ServiceIP(text) { return address.value >> 24 == 127 }
        return text == "::1"
    }

    public var description: String {
        (0..<4).reversed().map { String(UInt8(truncatingIfNeeded: value >> (8 * UInt128($0)))) }.joined(separator: ".")
    }

    public static func < (lhs: ServiceIP, rhs: ServiceIP) -> Bool { lhs.value < rhs.value }
}

/// The service CIDR cluster IPs come from (`--service-cluster-ip-range`).
///
/// As upstream's bitmap allocator, the network address and (IPv4) the broadcast
/// address are never handed out, so allocation offset 0 is the first address after
/// the network one: the `kubernetes` Service's.
public struct ServiceCIDR: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits zero).
    public let network: ServiceIP
    public let prefixLength: Int

    /// Upstream refuses ranges of more than 2^20 addresses ("the mask must be >= 12" for IPv4).
    static let maximumHostBits = 20

    /// Parses `10.43.0.0/16`; host bits are masked off as Go's ParseCIDR does.
    public init(_ text: String) throws(ServiceNetworkError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), prefix >= 0 else {
            if parts.count == 2, ServiceIP.family(of: String(parts[0])) == .ipv6 {
                throw ServiceNetworkError("service CIDR \(text): IPv6 service ranges are not supported yet")
            }
            throw ServiceNetworkError("invalid service CIDR \(text): expected an address and a prefix length, e.g. 10.43.0.0/16")
        }
        guard let address = ServiceIP(String(parts[0])) else {
            if ServiceIP.family(of: String(parts[0])) == .ipv6 {
                throw ServiceNetworkError("service CIDR \(text): IPv6 service ranges are not supported yet")
            }
            throw ServiceNetworkError("invalid service CIDR \(text): \(parts[0]) is not an IPv4 address")
        }
        let bits = address.family.bits
        guard prefix <= bits else { throw ServiceNetworkError("invalid service CIDR \(text): prefix longer than \(bits) bits") }
        guard bits - prefix <= Self.maximumHostBits else {
            throw ServiceNetworkError(
                "service CIDR \(text) is too large; for \(bits)-bit addresses, the mask must be >= \(bits - Self.maximumHostBits)")
        }
        guard bits - prefix >= 2 else {
            throw ServiceNetworkError("service CIDR \(text) is too small; it must hold at least two usable addresses")
        }
        let hostMask: UInt128 = (1 << UInt128(bits - prefix)) - 1
        network = ServiceIP(family: address.family, value: address.value & ~hostMask)
        prefixLength = prefix
    }

    public var family: ServiceIP.Family { network.family }

    /// Every address of the block, network and broadcast included.
    var blockSize: Int { 1 << (family.bits - prefixLength) }

    /// Addresses that can be allocated.
    public var usableCount: Int { blockSize - (family == .ipv4 ? 2 : 1) }

    /// The address at allocation offset `offset` (0 is the first after the network address).
    public func address(at offset: Int) -> ServiceIP {
        ServiceIP(family: family, value: network.value + 1 + UInt128(offset))
    }

    /// The allocation offset of `address`; nil outside the usable addresses.
    public func offset(of address: ServiceIP) -> Int? {
        guard address.family == family, address.value > network.value else { return nil }
        let offset = address.value - network.value - 1
        return offset < UInt128(usableCount) ? Int(offset) : nil
    }

    /// The first usable address, the `kubernetes` Service's ClusterIP (10.43.0.1).
    public var firstAddress: ServiceIP { address(at: 0) }

    /// Offsets below this are left to requested addresses while dynamic ones remain
    /// (KEP-3070's static band: min(max(16, size/16), 256) of the block size).
    var staticBandSize: Int {
        guard blockSize > 16 else { return 0 }
        return min(max(16, blockSize / 16), 256)
    }

    public var description: String { "\(network)/\(prefixLength)" }
}

/// A bad service network setting (CIDR, node port range).
public struct ServiceNetworkError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
