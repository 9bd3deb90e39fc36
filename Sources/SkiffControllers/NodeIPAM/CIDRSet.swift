/// An IPv4 network, `10.42.0.0/16`.
public struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
    /// The network address, host bits zero.
    public let address: UInt32
    public let prefixLength: Int

    /// Parses `a.b.c.d/n`; nil for anything else (IPv6 included: Skiff's pod network is IPv4).
    public init?(_ text: String) {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, let length = Int(pieces[1]), (0...32).contains(length) else { return nil }
        let octets = pieces[0].split(separator: ".", omittingEmptySubsequences: false).map { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 != nil && $0! < 256 }) else { return nil }
        let address = octets.reduce(UInt32(0)) { $0 << 8 | $1! }
        self.init(address: address, prefixLength: length)
    }

    public init(address: UInt32, prefixLength: Int) {
        self.prefixLength = prefixLength
        self.address = address & Self.mask(prefixLength)
    }

    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : ~UInt32(0) << (32 - length) }

    /// Whether `other` lies wholly inside this network.
    public func contains(_ other: IPv4Network) -> Bool {
        other.prefixLength >= prefixLength && other.address & Self.mask(prefixLength) == address
    }

    public var description: String {
        let octets = [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xff) }
        return octets.joined(separator: ".") + "/\(prefixLength)"
    }
}

/// The node podCIDRs of a cluster CIDR, as upstream's cidrset: the cluster CIDR
/// cut into subnets of one size, each free or used. Allocation starts after the
/// last one handed out and wraps, so a subnet just released is not the next
/// one given (a node deleted and a new one added do not share addresses while
/// old routes may linger).
public struct CIDRSet: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidClusterCIDR(String)
        case maskTooSmall(cluster: Int, node: Int)
        /// Every subnet is in use.
        case exhausted(IPv4Network)

        public var description: String {
            switch self {
            case .invalidClusterCIDR(let text): "invalid cluster CIDR \(text): want an IPv4 a.b.c.d/n"
            case .maskTooSmall(let cluster, let node):
                "node CIDR mask size \(node) must be larger than the cluster CIDR's \(cluster) and at most 30"
            case .exhausted(let cluster): "no remaining CIDRs left to allocate in \(cluster)"
            }
        }
    }

    public let cluster: IPv4Network
    public let nodeMaskSize: Int
    private var used: Set<Int> = []
    private var nextCandidate = 0

    public init(clusterCIDR: String, nodeMaskSize: Int) throws(Failure) {
        guard let cluster = IPv4Network(clusterCIDR) else { throw .invalidClusterCIDR(clusterCIDR) }
        // Upstream caps the subnet count at 2^16 and needs room for hosts in each.
        guard nodeMaskSize > cluster.prefixLength, nodeMaskSize <= 30, nodeMaskSize - cluster.prefixLength <= 16 else {
            throw .maskTooSmall(cluster: cluster.prefixLength, node: nodeMaskSize)
        }
        self.cluster = cluster
        self.nodeMaskSize = nodeMaskSize
    }

    /// How many node subnets the cluster CIDR holds.
    public var capacity: Int { 1 << (nodeMaskSize - cluster.prefixLength) }
    public var usedCount: Int { used.count }

    /// The next free subnet, now marked used.
    public mutating func allocateNext() throws(Failure) -> IPv4Network {
        for step in 0..<capacity {
            let index = (nextCandidate + step) % capacity
            if used.insert(index).inserted {
                nextCandidate = (index + 1) % capacity
                return subnet(index)
            }
        }
        throw .exhausted(cluster)
    }

    /// Marks a subnet used (a node that already has it). False when it is not
    /// one of this set's subnets: outside the cluster CIDR, or another size.
    @discardableResult
    public mutating func occupy(_ network: IPv4Network) -> Bool {
        guard let index = index(of: network) else { return false }
        used.insert(index)
        return true
    }

    public mutating func release(_ network: IPv4Network) {
        guard let index = index(of: network) else { return }
        used.remove(index)
    }

    public func isUsed(_ network: IPv4Network) -> Bool {
        index(of: network).map(used.contains) ?? false
    }

    private func subnet(_ index: Int) -> IPv4Network {
        IPv4Network(address: cluster.address | UInt32(index) << UInt32(32 - nodeMaskSize), prefixLength: nodeMaskSize)
    }

    private func index(of network: IPv4Network) -> Int? {
        guard network.prefixLength == nodeMaskSize, cluster.contains(network) else { return nil }
        return Int((network.address - cluster.address) >> UInt32(32 - nodeMaskSize))
    }
}
