import CNftnl

/// nftables registers as the kernel numbers them: the verdict register, the
/// 16-byte NFT_REG_1/2 and the 4-byte NFT_REG32_xx (a concatenation occupies
/// consecutive 4-byte registers, starting at NFT_REG_1 = NFT_REG32_00).
enum Register {
    static let verdict: UInt32 = 0
    static let r1: UInt32 = 1
    static let r2: UInt32 = 2
    /// The n-th 4-byte register after NFT_REG32_00, e.g. `r32(1)` = "reg 9".
    static func r32(_ n: UInt32) -> UInt32 { 8 + n }
}

/// One nftables expression of a rule, in the form the kernel runs it (what
/// `nft --debug=netlink` prints), turned into a libnftnl expression by ``make()``.
enum Expression: Sendable {
    case payload(base: UInt32, offset: UInt32, length: UInt32, into: UInt32)
    case meta(key: UInt32, into: UInt32)
    case setMeta(key: UInt32, from: UInt32)
    case compare(op: UInt32, register: UInt32, data: [UInt8])
    /// `register = (register & mask) ^ xor`, over as many bytes as `mask` has.
    case bitwise(register: UInt32, mask: [UInt8], xor: [UInt8])
    case lookup(set: NFTSet, from: UInt32, into: UInt32?, inverted: Bool = false)
    case randomNumber(modulus: UInt32, into: UInt32)
    case fibDestinationType(into: UInt32)
    case fibSourceType(into: UInt32)
    case conntrack(key: UInt32, into: UInt32)
    case dnat(family: IPFamily, addressRegister: UInt32, portRegister: UInt32)
    case masquerade
    case updateSet(set: NFTSet, keyRegister: UInt32, dataRegister: UInt32, timeoutMilliseconds: UInt64)
    case jump(String)
    /// The verdict drop (an immediate into the verdict register).
    case drop
    /// ICMP (IPv4) or ICMPv6 port unreachable, which a TCP client takes as a refusal.
    case rejectPortUnreachable(IPFamily)

    static let networkHeader = NFT_PAYLOAD_NETWORK_HEADER.rawValue
    static let transportHeader = NFT_PAYLOAD_TRANSPORT_HEADER.rawValue
    static let metaMark = NFT_META_MARK.rawValue
    static let metaL4Proto = NFT_META_L4PROTO.rawValue
    static let equal = NFT_CMP_EQ.rawValue
    static let notEqual = NFT_CMP_NEQ.rawValue

    /// A libnftnl expression the caller adds to a rule (which then owns it).
    func make() -> OpaquePointer {
        func alloc(_ name: String) -> OpaquePointer { nftnl_expr_alloc(name)! }
        func u32(_ expression: OpaquePointer, _ attribute: Int, _ value: UInt32) {
            nftnl_expr_set_u32(expression, UInt16(attribute), value)
        }
        func bytes(_ expression: OpaquePointer, _ attribute: Int, _ value: [UInt8]) {
            value.withUnsafeBytes { _ = nftnl_expr_set(expression, UInt16(attribute), $0.baseAddress, UInt32($0.count)) }
        }
        switch self {
        case .payload(let base, let offset, let length, let into):
            let e = alloc("payload")
            u32(e, NFTNL_EXPR_PAYLOAD_DREG, into)
            u32(e, NFTNL_EXPR_PAYLOAD_BASE, base)
            u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset)
            u32(e, NFTNL_EXPR_PAYLOAD_LEN, length)
            return e
        case .meta(let key, let into):
            let e = alloc("meta")
            u32(e, NFTNL_EXPR_META_KEY, key)
            u32(e, NFTNL_EXPR_META_DREG, into)
            return e
        case .setMeta(let key, let from):
            let e = alloc("meta")
            u32(e, NFTNL_EXPR_META_KEY, key)
            u32(e, NFTNL_EXPR_META_SREG, from)
            return e
        case .compare(let op, let register, let data):
            let e = alloc("cmp")
            u32(e, NFTNL_EXPR_CMP_SREG, register)
            u32(e, NFTNL_EXPR_CMP_OP, op)
            bytes(e, NFTNL_EXPR_CMP_DATA, data)
            return e
        case .bitwise(let register, let mask, let xor):
            let e = alloc("bitwise")
            u32(e, NFTNL_EXPR_BITWISE_SREG, register)
            u32(e, NFTNL_EXPR_BITWISE_DREG, register)
            u32(e, NFTNL_EXPR_BITWISE_LEN, UInt32(mask.count))
            bytes(e, NFTNL_EXPR_BITWISE_MASK, mask)
            bytes(e, NFTNL_EXPR_BITWISE_XOR, xor)
            return e
        case .lookup(let set, let from, let into, let inverted):
            let e = alloc("lookup")
            u32(e, NFTNL_EXPR_LOOKUP_SREG, from)
            if let into { u32(e, NFTNL_EXPR_LOOKUP_DREG, into) }
            nftnl_expr_set_str(e, UInt16(NFTNL_EXPR_LOOKUP_SET), set.rawValue)
            u32(e, NFTNL_EXPR_LOOKUP_SET_ID, set.id)
            if inverted { u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV.rawValue) }
            return e
        case .randomNumber(let modulus, let into):
            let e = alloc("numgen")
            u32(e, NFTNL_EXPR_NG_DREG, into)
            u32(e, NFTNL_EXPR_NG_MODULUS, modulus)
            u32(e, NFTNL_EXPR_NG_TYPE, NFT_NG_RANDOM.rawValue)
            return e
        case .fibDestinationType(let into), .fibSourceType(let into):
            let e = alloc("fib")
            u32(e, NFTNL_EXPR_FIB_DREG, into)
            u32(e, NFTNL_EXPR_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE.rawValue)
            let flags = if case .fibSourceType = self { NFTA_FIB_F_SADDR } else { NFTA_FIB_F_DADDR }
            u32(e, NFTNL_EXPR_FIB_FLAGS, flags.rawValue)
            return e
        case .conntrack(let key, let into):
            let e = alloc("ct")
            u32(e, NFTNL_EXPR_CT_KEY, key)
            u32(e, NFTNL_EXPR_CT_DREG, into)
            return e
        case .dnat(let family, let addressRegister, let portRegister):
            let e = alloc("nat")
            u32(e, NFTNL_EXPR_NAT_TYPE, NFT_NAT_DNAT.rawValue)
            u32(e, NFTNL_EXPR_NAT_FAMILY, UInt32(family.nfproto))
            u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, addressRegister)
            u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, portRegister)
            return e
        case .masquerade:
            // Fully random source ports, as upstream's: with the next free port, two
            // connections SNATed at once can pick the same one, and conntrack drops
            // the second one's first packet when it loses the insert race.
            let e = alloc("masq")
            u32(e, NFTNL_EXPR_MASQ_FLAGS, UInt32(SKIFF_NAT_RANGE_PROTO_RANDOM_FULLY))
            return e
        case .updateSet(let set, let keyRegister, let dataRegister, let timeout):
            let e = alloc("dynset")
            u32(e, NFTNL_EXPR_DYNSET_SREG_KEY, keyRegister)
            u32(e, NFTNL_EXPR_DYNSET_SREG_DATA, dataRegister)
            u32(e, NFTNL_EXPR_DYNSET_OP, UInt32(NFT_DYNSET_OP_UPDATE.rawValue))
            nftnl_expr_set_u64(e, UInt16(NFTNL_EXPR_DYNSET_TIMEOUT), timeout)
            nftnl_expr_set_str(e, UInt16(NFTNL_EXPR_DYNSET_SET_NAME), set.rawValue)
            u32(e, NFTNL_EXPR_DYNSET_SET_ID, set.id)
            return e
        case .jump(let chain):
            let e = alloc("immediate")
            u32(e, NFTNL_EXPR_IMM_DREG, Register.verdict)
            u32(e, NFTNL_EXPR_IMM_VERDICT, UInt32(bitPattern: NFT_JUMP.rawValue))
            nftnl_expr_set_str(e, UInt16(NFTNL_EXPR_IMM_CHAIN), chain)
            return e
        case .drop:
            let e = alloc("immediate")
            u32(e, NFTNL_EXPR_IMM_DREG, Register.verdict)
            u32(e, NFTNL_EXPR_IMM_VERDICT, UInt32(SKIFF_NF_DROP))
            return e
        case .rejectPortUnreachable(let family):
            let e = alloc("reject")
            u32(e, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_ICMP_UNREACH.rawValue)
            // ICMP_PORT_UNREACH, ICMPV6_PORT_UNREACH
            nftnl_expr_set_u8(e, UInt16(NFTNL_EXPR_REJECT_CODE), family == .ipv4 ? 3 : 4)
            return e
        }
    }
}

extension NFTSet {
    /// The set's id within a transaction, so that rules and elements in the batch
    /// that creates it can refer to it before it is committed.
    var id: UInt32 { UInt32(NFTSet.allCases.firstIndex(of: self)! + 1) }
}
