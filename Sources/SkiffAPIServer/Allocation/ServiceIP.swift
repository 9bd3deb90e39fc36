import SkiffAPI

/// An IP address of either family as one 128-bit number, so that range arithmetic
/// has one code path. Text is read and written as upstream's allocators do with
/// Go's net.IP: IPv4 with leading zeros allowed (ParseIPSloppy), IPv6 in any
/// RFC 4291 form, printed per RFC 5952.
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

    /// Parses dotted-quad IPv4 (leading zeros allowed) or IPv6 text (`::`
    /// compression, a trailing dotted IPv4 address); nil for anything else, zones
    /// (`fe80::1%eth0`) and CIDRs included. An IPv4-mapped address
    /// (`::ffff:10.43.0.5`) is the IPv4 address, as Go's `To4` and upstream's
    /// family checks see it.
    public init?(_ text: String) {
        if text.contains(":") {
            guard let bytes = GoIP.parseIPv6(Array(text.utf8)[...]) else { return nil }
            let value = bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
            if GoIP.isIPv4Mapped(bytes) {
                self.init(family: .ipv4, value: value & 0xFFFF_FFFF)
            } else {
                self.init(family: .ipv6, value: value)
            }
            return
        }
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

    /// The family of a `spec.clusterIPs` entry; nil when it is not an address.
    public static func family(of text: String) -> Family? { ServiceIP(text)?.family }

    /// Whether `text` is a loopback address (127.0.0.0/8 or ::1), which endpoints may not name.
    public static func isLoopback(_ text: String) -> Bool {
        guard let address = ServiceIP(text) else { return false }
        return address.family == .ipv4 ? address.value >> 24 == 127 : address.value == 1
    }

    /// Canonical text: dotted decimal, or RFC 5952 as Go's net.IP prints it —
    /// lowercase hex without leading zeros, the longest run of two or more zero
    /// groups (the first of equal runs) as `::`, and an IPv4-mapped value dotted.
    public var description: String {
        if family == .ipv4 || value >> 32 == 0xFFFF { return Self.dotted(UInt32(truncatingIfNeeded: value)) }
        let groups = (0..<8).reversed().map { UInt16(truncatingIfNeeded: value >> (16 * UInt128($0))) }
        var runStart = -1
        var runLength = 0
        var index = 0
        while index < groups.count {
            var end = index
            while end < groups.count && groups[end] == 0 { end += 1 }
            if end - index > runLength {
                runStart = index
                runLength = end - index
            }
            index = max(end, index + 1)
        }
        // RFC 5952 4.2.2: "::" never stands for a single zero group.
        if runLength < 2 { runStart = -1 }
        var text = ""
        for (position, group) in groups.enumerated() {
            if position == runStart {
                text += "::"
                continue
            }
            if runStart >= 0 && position > runStart && position < runStart + runLength { continue }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(group, radix: 16)
        }
        return text
    }

    private static func dotted(_ value: UInt32) -> String {
        (0..<4).reversed().map { String(UInt8(truncatingIfNeeded: value >> (8 * UInt32($0)))) }.joined(separator: ".")
    }

    public static func < (lhs: ServiceIP, rhs: ServiceIP) -> Bool { lhs.value < rhs.value }
}
