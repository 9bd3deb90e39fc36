/// IP and CIDR parsing as upstream's "sloppy" parsers (k8s.io/utils/net, a copy of
/// Go 1.16's net package): IPv4 octets may carry leading zeros, which newer Go rejects
/// but which Kubernetes accepts in legacy fields.
///
/// Public so that the API server's allocators read addresses exactly as validation does.
public enum GoIP {
    /// Cap on intermediate numbers, as Go's dtoi/xtoi.
    private static let big = 0xFF_FFFF

    /// 4 bytes for IPv4, 16 for IPv6; nil when the text is not an address.
    public static func parse(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        for byte in bytes {
            if byte == UInt8(ascii: ".") { return parseIPv4(bytes[...]) }
            if byte == UInt8(ascii: ":") { return parseIPv6(bytes[...]) }
        }
        return nil
    }

    /// The address and prefix length of `addr/bits`.
    static func parseCIDR(_ text: String) -> (address: [UInt8], prefixLength: Int)? {
        let bytes = Array(text.utf8)
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        guard let address = parseIPv4(bytes[..<slash]) ?? parseIPv6(bytes[..<slash]) else { return nil }
        let mask = bytes[(slash + 1)...]
        guard let (bits, used) = decimal(mask), used == mask.count, bits <= 8 * address.count else { return nil }
        return (address, bits)
    }

    private static func decimal(_ text: ArraySlice<UInt8>) -> (Int, Int)? {
        var value = 0
        var count = 0
        for byte in text {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            count += 1
            if value >= big { return nil }
        }
        return count == 0 ? nil : (value, count)
    }

    private static func hexadecimal(_ text: ArraySlice<UInt8>) -> (Int, Int)? {
        var value = 0
        var count = 0
        for byte in text {
            let digit: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(byte - UInt8(ascii: "A")) + 10
            default: return count == 0 ? nil : (value, count)
            }
            value = value * 16 + digit
            count += 1
            if value >= big { return nil }
        }
        return count == 0 ? nil : (value, count)
    }

    static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var rest = text
        var octets: [UInt8] = []
        for position in 0..<4 {
            if rest.isEmpty { return nil }
            if position > 0 {
                guard rest.first == UInt8(ascii: ".") else { return nil }
                rest = rest.dropFirst()
            }
            guard let (value, used) = decimal(rest), value <= 0xFF else { return nil }
            octets.append(UInt8(value))
            rest = rest.dropFirst(used)
        }
        return rest.isEmpty ? octets : nil
    }

    /// netutils.IsIPv6String: an address that is not IPv4, so an IPv4-mapped
    /// `::ffff:1.2.3.4` counts as IPv4, as Go's `To4` sees it.
    public static func isIPv6(_ text: String) -> Bool {
        guard let bytes = parse(text), bytes.count == 16 else { return false }
        return !isIPv4Mapped(bytes)
    }

    /// `::ffff:a.b.c.d`, which Go's net.IP treats as the IPv4 address a.b.c.d.
    public static func isIPv4Mapped(_ bytes: [UInt8]) -> Bool {
        bytes.count == 16 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
    }

    /// 16 bytes from colon-hex text (`::` compression, a trailing dotted IPv4
    /// address); nil for anything else, zones (`%eth0`) included.
    public static func parseIPv6(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var address = [UInt8](repeating: 0, count: 16)
        var rest = text
        var ellipsis = -1
        let colon = UInt8(ascii: ":")
        if rest.count >= 2, rest.first == colon, rest.dropFirst().first == colon {
            ellipsis = 0
            rest = rest.dropFirst(2)
            if rest.isEmpty { return address }
        }
        var filled = 0
        while filled < 16 {
            guard let (value, used) = hexadecimal(rest), value <= 0xFFFF else { return nil }
            if used < rest.count, rest[rest.startIndex + used] == UInt8(ascii: ".") {
                // A trailing dotted IPv4 address fills the last four bytes.
                if ellipsis < 0 && filled != 12 { return nil }
                if filled + 4 > 16 { return nil }
                guard let v4 = parseIPv4(rest) else { return nil }
                address.replaceSubrange(filled..<(filled + 4), with: v4)
                filled += 4
                rest = []
                break
            }
            address[filled] = UInt8(value >> 8)
            address[filled + 1] = UInt8(value & 0xFF)
            filled += 2
            rest = rest.dropFirst(used)
            if rest.isEmpty { break }
            guard rest.first == colon, rest.count > 1 else { return nil }
            rest = rest.dropFirst()
            if rest.first == colon {
                if ellipsis >= 0 { return nil }
                ellipsis = filled
                rest = rest.dropFirst()
                if rest.isEmpty { break }
            }
        }
        guard rest.isEmpty else { return nil }
        if filled < 16 {
            guard ellipsis >= 0 else { return nil }
            let gap = 16 - filled
            let tail = Array(address[ellipsis..<filled])
            for index in ellipsis..<16 { address[index] = 0 }
            address.replaceSubrange((ellipsis + gap)..<16, with: tail)
        } else if ellipsis >= 0 {
            // An ellipsis must stand for at least one zero group.
            return nil
        }
        return address
    }
}
