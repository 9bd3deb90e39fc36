import CNftnl
import Foundation

/// Reads a ``NetlinkBatch`` back through libnftnl's parsers into one line per
/// message (rules as `nft --debug=netlink` prints them), so tests and logs can
/// say what a sync sends without a kernel.
public enum BatchListing {
    public static func lines(_ batch: NetlinkBatch) -> [String] {
        var lines: [String] = []
        batch.bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + MemoryLayout<nlmsghdr>.size <= raw.count {
                let header = raw.loadUnaligned(fromByteOffset: offset, as: nlmsghdr.self)
                let pointer = UnsafeMutableRawPointer(mutating: raw.baseAddress! + offset).assumingMemoryBound(to: nlmsghdr.self)
                if let line = describe(pointer, type: UInt32(header.nlmsg_type)) { lines.append(line) }
                offset += (Int(header.nlmsg_len) + 3) & ~3
            }
        }
        return lines
    }

    private static func describe(_ header: UnsafeMutablePointer<nlmsghdr>, type: UInt32) -> String? {
        if type == UInt32(NFNL_MSG_BATCH_BEGIN) || type == UInt32(NFNL_MSG_BATCH_END) { return nil }
        let message = type & 0xff
        switch message {
        case NFT_MSG_NEWTABLE.rawValue: return "add table"
        case NFT_MSG_DELTABLE.rawValue: return "delete table"
        case NFT_MSG_NEWCHAIN.rawValue, NFT_MSG_DELCHAIN.rawValue:
            let chain = nftnl_chain_alloc()!
            defer { nftnl_chain_free(chain) }
            _ = nftnl_chain_nlmsg_parse(header, chain)
            let name = String(cString: nftnl_chain_get_str(chain, UInt16(NFTNL_CHAIN_NAME.rawValue)))
            var line = (message == NFT_MSG_NEWCHAIN.rawValue ? "add chain " : "delete chain ") + name
            if nftnl_chain_is_set(chain, UInt16(NFTNL_CHAIN_HOOKNUM.rawValue)) {
                line += " { type \(String(cString: nftnl_chain_get_str(chain, UInt16(NFTNL_CHAIN_TYPE.rawValue))))"
                    + " hook \(nftnl_chain_get_u32(chain, UInt16(NFTNL_CHAIN_HOOKNUM.rawValue)))"
                    + " priority \(nftnl_chain_get_s32(chain, UInt16(NFTNL_CHAIN_PRIO.rawValue))) }"
            }
            return line
        case NFT_MSG_NEWRULE.rawValue, NFT_MSG_DELRULE.rawValue:
            let rule = nftnl_rule_alloc()!
            defer { nftnl_rule_free(rule) }
            _ = nftnl_rule_nlmsg_parse(header, rule)
            let chain = String(cString: nftnl_rule_get_str(rule, UInt16(NFTNL_RULE_CHAIN.rawValue)))
            if message == NFT_MSG_DELRULE.rawValue { return "flush chain \(chain)" }
            return "add rule \(chain)\n" + expressions(rule)
        case NFT_MSG_NEWSET.rawValue:
            let set = nftnl_set_alloc()!
            defer { nftnl_set_free(set) }
            _ = nftnl_set_nlmsg_parse(header, set)
            let name = String(cString: nftnl_set_get_str(set, UInt16(NFTNL_SET_NAME.rawValue)))
            return "add set \(name) flags \(nftnl_set_get_u32(set, UInt16(NFTNL_SET_FLAGS.rawValue)))"
                + " key \(nftnl_set_get_u32(set, UInt16(NFTNL_SET_KEY_TYPE.rawValue))):\(nftnl_set_get_u32(set, UInt16(NFTNL_SET_KEY_LEN.rawValue)))"
        case NFT_MSG_NEWSETELEM.rawValue, NFT_MSG_DELSETELEM.rawValue:
            return elements(header, adding: message == NFT_MSG_NEWSETELEM.rawValue)
        default: return "message \(message)"
        }
    }

    /// The rule's expressions, one `[ … ]` per line as nft's netlink debug output.
    private static func expressions(_ rule: OpaquePointer) -> String {
        var lines: [String] = []
        let iterator = nftnl_expr_iter_create(rule)!
        defer { nftnl_expr_iter_destroy(iterator) }
        while let expression = nftnl_expr_iter_next(iterator) {
            var buffer = [CChar](repeating: 0, count: 1024)
            _ = nftnl_expr_snprintf(&buffer, buffer.count, expression, UInt32(NFTNL_OUTPUT_DEFAULT.rawValue), 0)
            let name = String(cString: nftnl_expr_get_str(expression, UInt16(NFTNL_EXPR_NAME)))
            let text = "\(name) \(String(cString: buffer))".trimmingCharacters(in: .whitespaces)
            lines.append("  [ \(text) ]")
        }
        return lines.joined(separator: "\n")
    }

    /// Element messages are read attribute by attribute here (libnftnl's parser
    /// keeps one element of a list), which also checks the bytes on their own.
    private static func elements(_ header: UnsafeMutablePointer<nlmsghdr>, adding: Bool) -> String {
        let length = Int(header.pointee.nlmsg_len)
        let bytes = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(header), count: length))
        // nlmsghdr (16) + nfgenmsg (4), then the attributes.
        let top = attributes(bytes, from: 20, to: length)
        let name = top[UInt16(NFTA_SET_ELEM_LIST_SET.rawValue)].map { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) } ?? "?"
        guard let kind = NFTSet(rawValue: name) else { return "elements of unknown set \(name)" }
        // nfgenmsg's first byte: the table's family, which says how wide addresses are.
        let family: IPFamily = bytes[16] == IPFamily.ipv6.nfproto ? .ipv6 : .ipv4
        var described: [String] = []
        if let list = top[UInt16(NFTA_SET_ELEM_LIST_ELEMENTS.rawValue)] {
            for element in attributeList(list) {
                let fields = attributes(element, from: 0, to: element.count)
                let key = fields[UInt16(NFTA_SET_ELEM_KEY.rawValue)].flatMap { attributes($0, from: 0, to: $0.count)[1] } ?? []
                var text = decode(key, kind.keyTypes(family))
                if let end = fields[UInt16(NFTA_SET_ELEM_KEY_END.rawValue)].flatMap({ attributes($0, from: 0, to: $0.count)[1] }) {
                    text += " - " + decode(end, kind.keyTypes(family))
                }
                if let data = fields[UInt16(NFTA_SET_ELEM_DATA.rawValue)] {
                    let inner = attributes(data, from: 0, to: data.count)
                    if let value = inner[UInt16(NFTA_DATA_VALUE.rawValue)], let types = kind.dataTypes(family) {
                        text += " : " + decode(value, types)
                    } else if let verdict = inner[UInt16(NFTA_DATA_VERDICT.rawValue)] {
                        let parts = attributes(verdict, from: 0, to: verdict.count)
                        if let chain = parts[UInt16(NFTA_VERDICT_CHAIN.rawValue)] {
                            text += " : goto " + String(decoding: chain.prefix { $0 != 0 }, as: UTF8.self)
                        } else {
                            text += " : drop"
                        }
                    }
                }
                described.append(text)
            }
        }
        if described.isEmpty { return adding ? "add no elements to \(name)" : "flush set \(name)" }
        return (adding ? "add element \(name) { " : "delete element \(name) { ") + described.joined(separator: ", ") + " }"
    }

    /// Netlink attributes in `bytes[from..<to]` by type (the nested flag cleared).
    private static func attributes(_ bytes: [UInt8], from: Int, to: Int) -> [UInt16: [UInt8]] {
        var found: [UInt16: [UInt8]] = [:]
        for (type, payload) in attributeSequence(bytes, from: from, to: to) { found[type] = payload }
        return found
    }

    private static func attributeList(_ bytes: [UInt8]) -> [[UInt8]] {
        attributeSequence(bytes, from: 0, to: bytes.count).map(\.1)
    }

    private static func attributeSequence(_ bytes: [UInt8], from: Int, to: Int) -> [(UInt16, [UInt8])] {
        var result: [(UInt16, [UInt8])] = []
        var offset = from
        while offset + 4 <= to {
            let length = Int(UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8)
            let type = (UInt16(bytes[offset + 2]) | UInt16(bytes[offset + 3]) << 8) & 0x3fff
            guard length >= 4, offset + length <= to else { break }
            result.append((type, Array(bytes[offset + 4..<offset + length])))
            offset += (length + 3) & ~3
        }
        return result
    }

    /// A key or data value, field by field in nft's notation ("1 . 10.43.0.1 . tcp . 80"):
    /// each field takes whole 4-byte registers, an IPv6 address four.
    static func decode(_ bytes: [UInt8], _ types: [NFTSet.DataType]) -> String {
        var fields: [String] = []
        var start = 0
        for type in types {
            guard start + type.length <= bytes.count else { break }
            let word = Array(bytes[start..<start + type.length])
            start += type.length
            switch type {
            case .mark: fields.append("\(word.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })")
            case .ipv4, .ipv6:
                let value = word.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
                fields.append("\(IPAddress(family: type == .ipv4 ? .ipv4 : .ipv6, value: value))")
            case .proto: fields.append(L4Protocol.allCases.first { $0.number == word[0] }?.rawValue ?? "\(word[0])")
            case .service: fields.append("\(UInt16(word[0]) << 8 | UInt16(word[1]))")
            }
        }
        return fields.joined(separator: " . ")
    }
}
