/// An IPv4 address as the proxy keys it: four bytes, network order when encoded.
public struct IPv4: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: UInt32

    public init(_ value: UInt32) { self.value = value }

    /// Parses dotted-quad text; nil for anything else (IPv6, names, garbage).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let byte = UInt32(part), byte < 256
            else { return nil }
            value = value << 8 | byte
        }
        self.value = value
    }

    /// The four bytes in network order.
    public var bytes: [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }

    public var description: String { bytes.map(String.init).joined(separator: ".") }

    public static func < (lhs: IPv4, rhs: IPv4) -> Bool { lhs.value < rhs.value }
}

/// An IPv4 prefix such as the cluster CIDR 10.42.0.0/16.
public struct IPv4CIDR: Hashable, Sendable, CustomStringConvertible {
    public let network: IPv4
    public let prefixLength: Int

    public init?(_ text: String) {
        let pieces = text.split(separator: "/")
        guard pieces.count == 2, let address = IPv4(String(pieces[0])), let length = Int(pieces[1]),
            (0...32).contains(length)
        else { return nil }
        prefixLength = length
        network = IPv4(address.value & Self.mask(length))
    }

    public var mask: UInt32 { Self.mask(prefixLength) }

    public func contains(_ address: IPv4) -> Bool { address.value & mask == network.value }

    public var description: String { "\(network)/\(prefixLength)" }

    private static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : ~UInt32(0) << (32 - length) }
}
