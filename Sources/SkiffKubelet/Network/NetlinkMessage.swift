/// rtnetlink constants Skiff uses (linux/netlink.h, linux/rtnetlink.h).
enum Netlink {
    static let request: UInt16 = 0x1
    static let acknowledge: UInt16 = 0x4
    static let replace: UInt16 = 0x100
    static let create: UInt16 = 0x400
    static let dump: UInt16 = 0x300
    static let error: UInt16 = 2
    static let done: UInt16 = 3
    static let mainTable: UInt8 = 254
    static let unicast: UInt8 = 1
    static let attributeDestination: UInt16 = 1
    static let attributeGateway: UInt16 = 5
    static let attributeTable: UInt16 = 15
}

/// One netlink message: a 16-byte header (native byte order) and its body.
struct NetlinkMessage {
    enum Kind: UInt16 {
        case newRoute = 24, deleteRoute = 25, getRoute = 26
    }

    var type: UInt16
    var flags: UInt16
    var sequence: UInt32
    var body: [UInt8]

    static func request(type: Kind, flags: UInt16, body: [UInt8]) -> NetlinkMessage {
        NetlinkMessage(type: type.rawValue, flags: flags | Netlink.request, sequence: 1, body: body)
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 + body.count)
        Self.append(&out, UInt32(16 + body.count))
        Self.append(&out, type)
        Self.append(&out, flags)
        Self.append(&out, sequence)
        Self.append(&out, UInt32(0))
        return out + body
    }

    /// The messages in one datagram; a truncated tail is dropped.
    static func parse(_ datagram: ArraySlice<UInt8>) -> [NetlinkMessage] {
        var messages: [NetlinkMessage] = []
        var offset = datagram.startIndex
        while datagram.endIndex - offset >= 16 {
            let length = Int(read32(datagram, offset))
            guard length >= 16, offset + length <= datagram.endIndex else { break }
            messages.append(NetlinkMessage(
                type: read16(datagram, offset + 4), flags: read16(datagram, offset + 6),
                sequence: read32(datagram, offset + 8), body: Array(datagram[(offset + 16)..<(offset + length)])))
            offset += aligned(length)
        }
        return messages
    }

    /// An rtattr: length, type, value, padded to four bytes.
    static func appendAttribute(_ out: inout [UInt8], type: UInt16, value: [UInt8]) {
        append(&out, UInt16(4 + value.count))
        append(&out, type)
        out += value
        out += [UInt8](repeating: 0, count: aligned(value.count) - value.count)
    }

    /// The attributes of a body, by type (the last of a repeated type wins).
    static func attributes(_ bytes: ArraySlice<UInt8>) -> [UInt16: [UInt8]] {
        var result: [UInt16: [UInt8]] = [:]
        var offset = bytes.startIndex
        while bytes.endIndex - offset >= 4 {
            let length = Int(read16(bytes, offset))
            guard length >= 4, offset + length <= bytes.endIndex else { break }
            result[read16(bytes, offset + 2)] = Array(bytes[(offset + 4)..<(offset + length)])
            offset += aligned(length)
        }
        return result
    }

    /// The errno of an NLMSG_ERROR body (0 for an acknowledgement).
    var errorNumber: Int32? {
        guard type == Netlink.error, body.count >= 4 else { return nil }
        return -Int32(bitPattern: Self.read32(body[...], 0))
    }

    static func aligned(_ length: Int) -> Int { (length + 3) & ~3 }

    private static func append<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    private static func read16(_ bytes: ArraySlice<UInt8>, _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func read32(_ bytes: ArraySlice<UInt8>, _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) }
    }
}
