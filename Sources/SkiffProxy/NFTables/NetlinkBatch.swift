import CNftnl

/// One nfnetlink batch: BEGIN, nftables messages, END — one transaction the
/// kernel applies entirely or not at all. Messages are built with libnftnl and
/// appended to a byte buffer that is sent in one `sendto`.
public struct NetlinkBatch: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// What each message does, by sequence number, for error reports.
    public private(set) var descriptions: [UInt32: String] = [:]
    public private(set) var messageCount = 0
    private var sequence: UInt32
    /// The table's family: which `skiff` table the messages name, how wide addresses are.
    let addressFamily: IPFamily

    /// The nfnetlink family (NFPROTO_IPV4, NFPROTO_IPV6).
    var family: UInt16 { UInt16(addressFamily.nfproto) }

    /// The family as nft names it (`ip`, `ip6`).
    var tableFamilyName: String { addressFamily.nftName }

    /// Elements per NEWSETELEM message: the element list is one netlink attribute,
    /// whose length field has 16 bits.
    static let elementsPerMessage = 256
    private static let scratchSize = 128 * 1024

    init(family: IPFamily, firstSequence: UInt32) {
        addressFamily = family
        sequence = firstSequence
        append("batch begin") { buffer, seq in _ = nftnl_batch_begin(buffer, seq) }
    }

    /// Closes the batch; returns the finished bytes.
    mutating func finish() -> NetlinkBatch {
        append("batch end") { buffer, seq in _ = nftnl_batch_end(buffer, seq) }
        return self
    }

    /// Appends a message that `build` writes at the start of a zeroed scratch buffer.
    mutating func append(_ description: String, _ build: (UnsafeMutablePointer<CChar>, UInt32) -> Void) {
        let seq = sequence
        sequence &+= 1
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Self.scratchSize) { scratch in
            // libmnl zeroes each header and attribute it writes: the scratch needs no clearing.
            build(scratch.baseAddress!, seq)
            let length = scratch.baseAddress!.withMemoryRebound(to: nlmsghdr.self, capacity: 1) { Int($0.pointee.nlmsg_len) }
            let aligned = (length + 3) & ~3
            scratch.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: aligned) {
                bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: aligned))
            }
        }
        descriptions[seq] = description
        messageCount += 1
    }

    /// Appends a message for a libnftnl object: header, then `payload` fills it in.
    mutating func append(
        _ description: String, type: UInt32, flags: Int32, payload: (UnsafeMutablePointer<nlmsghdr>) -> Void
    ) {
        let family = family
        append(description) { buffer, seq in
            let header = nftnl_nlmsg_build_hdr(buffer, UInt16(type), family, UInt16(flags), seq)!
            payload(header)
        }
    }
}

/// Flags as nft sends them.
enum MessageFlags {
    static let create = Int32(NLM_F_CREATE)
    static let createAppend = Int32(NLM_F_CREATE | NLM_F_APPEND)
    static let none: Int32 = 0
}

extension NFT_MSG {
    static func raw(_ message: nf_tables_msg_types) -> UInt32 { message.rawValue }
}
typealias NFT_MSG = nf_tables_msg_types

extension IPFamily {
    /// The family as nft names a table's (`ip skiff`, `ip6 skiff`).
    public var nftName: String { self == .ipv4 ? "ip" : "ip6" }

    /// The netfilter family number (NFPROTO_IPV4, NFPROTO_IPV6) of tables, messages and NAT.
    var nfproto: UInt8 { UInt8(self == .ipv4 ? SKIFF_NFPROTO_IPV4 : SKIFF_NFPROTO_IPV6) }
}
