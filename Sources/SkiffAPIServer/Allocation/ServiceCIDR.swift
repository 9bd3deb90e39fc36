/// The service CIDR cluster IPs come from (`--service-cluster-ip-range`).
///
/// As upstream's allocators, the network address and (IPv4) the broadcast address
/// are never handed out, so allocation offset 0 is the first address after the
/// network one: the `kubernetes` Service's. IPv6 has no broadcast address, so its
/// last address is allocatable.
public struct ServiceCIDR: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits zero).
    public let network: ServiceIP
    public let prefixLength: Int

    /// Upstream refuses ranges of more than 2^20 addresses: "the mask must be >= 12"
    /// for IPv4, ">= 108" for IPv6.
    static let maximumHostBits = 20

    /// Parses `10.43.0.0/16` or `fd00:43::/108`; host bits are masked off as Go's ParseCIDR does.
    public init(_ text: String) throws(ServiceNetworkError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), prefix >= 0 else {
            throw ServiceNetworkError(
                "invalid service CIDR \(text): expected an address and a prefix length, e.g. 10.43.0.0/16 or fd00:43::/108")
        }
        guard let address = ServiceIP(String(parts[0])) else {
            throw ServiceNetworkError("invalid service CIDR \(text): \(parts[0]) is not an IP address")
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
