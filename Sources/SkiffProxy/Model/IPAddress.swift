import Glibc

/// An IP family the proxy programs. Each has its own table (`ip skiff`, `ip6 skiff`)
/// or its own iptables program (iptables, ip6tables), programmed from its own model.
public enum IPFamily: String, CaseIterable, Hashable, Comparable, Sendable {
    case ipv4 = "IPv4"
    case ipv6 = "IPv6"

    /// Bytes in an address.
    public var addressLength: Int { self == .ipv4 ? 4 : 16 }

    public static func < (lhs: IPFamily, rhs: IPFamily) -> Bool { lhs == .ipv4 && rhs == .ipv6 }
}

/// An IPv4 or IPv6 address as the proxy keys it: the family and the address as
/// one number (IPv4 in the low 32 bits), network order when encoded.
public struct IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let family: IPFamily
    public let value: UInt128

    public init(family: IPFamily, value: UInt128) {
        self.family = family
        self.value = family == .ipv4 ? value & 0xffff_ffff : value
    }

    public init(ipv4 value: UInt32) { self.init(family: .ipv4, value: UInt128(value)) }

    /// Parses dotted-quad IPv4 (leading zeros allowed, as Services' legacy fields)
    /// or IPv6 text (inet_pton's rules: no zone, no prefix); nil for anything else.
    /// An IPv4-mapped address (`::ffff:10.42.0.5`) is the IPv4 one, as Go's To4 makes
    /// it: the API accepts it in an IPv4 EndpointSlice.
    public init?(_ text: String) {
        if text.contains(":") {
            var raw = in6_addr()
            guard inet_pton(AF_INET6, text, &raw) == 1 else { return nil }
            let value = withUnsafeBytes(of: raw) { $0.reduce(UInt128(0)) { $0 << 8 | UInt128($1) } }
            self.init(family: value >> 32 == 0xffff ? .ipv4 : .ipv6, value: value)
            return
        }
        // Byte by byte, allocating nothing: every sync parses every Service's addresses.
        var value: UInt32 = 0, octet: UInt32 = 0, digits = 0, dots = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3, octet < 256 else { return nil }
                value = value << 8 | octet
                (octet, digits, dots) = (0, 0, dots + 1)
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 {
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
            } else {
                return nil
            }
        }
        guard dots == 3, digits > 0, octet < 256 else { return nil }
        self.init(ipv4: value << 8 | octet)
    }

    /// The address's bytes in network order: 4 or 16.
    public var bytes: [UInt8] {
        let count = family.addressLength
        return (0..<count).map { UInt8(truncatingIfNeeded: value >> UInt128(8 * (count - 1 - $0))) }
    }

    /// Dotted quad, or RFC 5952 text for IPv6 (what `nft` and `ip` print).
    public var description: String {
        guard family == .ipv6 else { return bytes.map(String.init).joined(separator: ".") }
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool { (lhs.family, lhs.value) < (rhs.family, rhs.value) }
}

/// A prefix such as the cluster CIDR 10.42.0.0/16 or fd42::/56.
public struct IPCIDR: Hashable, Sendable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int

    public init?(_ text: String) {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, let address = IPAddress(String(pieces[0])), let length = Int(pieces[1]),
            (0...address.family.addressLength * 8).contains(length)
        else { return nil }
        prefixLength = length
        network = IPAddress(family: address.family, value: address.value & Self.mask(length, address.family))
    }

    /// The one-address prefix of `address` (/32, /128).
    public init(host address: IPAddress) {
        network = address
        prefixLength = address.family.addressLength * 8
    }

    public var family: IPFamily { network.family }

    /// The prefix's bits set, in the family's width.
    public var mask: UInt128 { Self.mask(prefixLength, family) }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == family && address.value & mask == network.value
    }

    public var description: String { "\(network)/\(prefixLength)" }

    private static func mask(_ length: Int, _ family: IPFamily) -> UInt128 {
        let width = family.addressLength * 8
        guard length > 0 else { return 0 }
        let all: UInt128 = width == 128 ? ~0 : (1 << UInt128(width)) - 1
        return all & ~((1 << UInt128(width - length)) - 1)
    }

    /// Parses `--cluster-cidr`: one CIDR, or one of each family separated by a comma
    /// (dual-stack, as upstream's flag). Throws a message naming what is wrong.
    public static func list(_ text: String) throws(ProxyError) -> [IPCIDR] {
        let pieces = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var cidrs: [IPCIDR] = []
        for piece in pieces {
            guard let cidr = IPCIDR(piece) else { throw ProxyError("\(piece) is not a CIDR (e.g. 10.42.0.0/16 or fd42::/56)") }
            guard !cidrs.contains(where: { $0.family == cidr.family }) else {
                throw ProxyError("\(text): at most one CIDR of each IP family")
            }
            cidrs.append(cidr)
        }
        guard !cidrs.isEmpty, cidrs.count <= 2 else { throw ProxyError("\(text): one CIDR, or one IPv4 and one IPv6") }
        return cidrs
    }
}
