import CNftnl

/// The nftables messages the proxy sends, as libnftnl objects in a ``NetlinkBatch``.
extension NetlinkBatch {
    static let tableName = "skiff"

    mutating func addTable() {
        let table = nftnl_table_alloc()!
        defer { nftnl_table_free(table) }
        nftnl_table_set_str(table, UInt16(NFTNL_TABLE_NAME.rawValue), Self.tableName)
        nftnl_table_set_u32(table, UInt16(NFTNL_TABLE_FAMILY.rawValue), UInt32(family))
        append("add table \(tableFamilyName) skiff", type: NFT_MSG_NEWTABLE.rawValue, flags: MessageFlags.create) {
            nftnl_table_nlmsg_build_payload($0, table)
        }
    }

    mutating func deleteTable() {
        let table = nftnl_table_alloc()!
        defer { nftnl_table_free(table) }
        nftnl_table_set_str(table, UInt16(NFTNL_TABLE_NAME.rawValue), Self.tableName)
        append("delete table \(tableFamilyName) skiff", type: NFT_MSG_DELTABLE.rawValue, flags: MessageFlags.none) {
            nftnl_table_nlmsg_build_payload($0, table)
        }
    }

    /// Adds a chain (a base chain when `hook` is given); adding an existing chain is a no-op.
    mutating func addChain(_ name: String, hook: (type: String, hook: UInt32, priority: Int32)?) {
        let chain = makeChain(name)
        defer { nftnl_chain_free(chain) }
        if let hook {
            nftnl_chain_set_u32(chain, UInt16(NFTNL_CHAIN_HOOKNUM.rawValue), hook.hook)
            nftnl_chain_set_s32(chain, UInt16(NFTNL_CHAIN_PRIO.rawValue), hook.priority)
            nftnl_chain_set_str(chain, UInt16(NFTNL_CHAIN_TYPE.rawValue), hook.type)
            nftnl_chain_set_u32(chain, UInt16(NFTNL_CHAIN_POLICY.rawValue), UInt32(SKIFF_NF_ACCEPT))
        }
        append("add chain \(name)", type: NFT_MSG_NEWCHAIN.rawValue, flags: MessageFlags.create) {
            nftnl_chain_nlmsg_build_payload($0, chain)
        }
    }

    mutating func deleteChain(_ name: String) {
        let chain = makeChain(name)
        defer { nftnl_chain_free(chain) }
        append("delete chain \(name)", type: NFT_MSG_DELCHAIN.rawValue, flags: MessageFlags.none) {
            nftnl_chain_nlmsg_build_payload($0, chain)
        }
    }

    /// Deletes every rule of a chain (a DELRULE naming only the chain).
    mutating func flushChain(_ name: String) {
        let rule = makeRule(chain: name)
        defer { nftnl_rule_free(rule) }
        append("flush chain \(name)", type: NFT_MSG_DELRULE.rawValue, flags: MessageFlags.none) {
            nftnl_rule_nlmsg_build_payload($0, rule)
        }
    }

    mutating func addRule(chain: String, _ expressions: [Expression]) {
        let rule = makeRule(chain: chain)
        defer { nftnl_rule_free(rule) }
        for expression in expressions { nftnl_rule_add_expr(rule, expression.make()) }
        append("add rule \(chain)", type: NFT_MSG_NEWRULE.rawValue, flags: MessageFlags.createAppend) {
            nftnl_rule_nlmsg_build_payload($0, rule)
        }
    }

    mutating func addSet(_ set: NFTSet) {
        let object = makeSet(set)
        defer { nftnl_set_free(object) }
        let keyTypes = set.keyTypes(addressFamily)
        let dataTypes = set.dataTypes(addressFamily)
        var flags: UInt32 = dataTypes != nil ? NFT_SET_MAP.rawValue : 0
        if set == .affinity {
            flags |= NFT_SET_TIMEOUT.rawValue
            // The kernel fills this map from the packet path: it needs a size.
            nftnl_set_set_u32(object, UInt16(NFTNL_SET_DESC_SIZE.rawValue), 65535)
        }
        if set.isInterval {
            // Ranges over a concatenation: the kernel needs each field's own length.
            flags |= NFT_SET_INTERVAL.rawValue | NFT_SET_CONCAT.rawValue
            let fieldLengths = keyTypes.map { UInt8($0.valueLength) }
            _ = nftnl_set_set_data(object, UInt16(NFTNL_SET_DESC_CONCAT.rawValue), fieldLengths, UInt32(fieldLengths.count))
        }
        nftnl_set_set_u32(object, UInt16(NFTNL_SET_FLAGS.rawValue), flags)
        nftnl_set_set_u32(object, UInt16(NFTNL_SET_KEY_TYPE.rawValue), NFTSet.concatenatedType(keyTypes))
        nftnl_set_set_u32(object, UInt16(NFTNL_SET_KEY_LEN.rawValue), UInt32(keyTypes.map(\.length).reduce(0, +)))
        if let data = dataTypes {
            if data.isEmpty {
                nftnl_set_set_u32(object, UInt16(NFTNL_SET_DATA_TYPE.rawValue), NFT_DATA_VERDICT.rawValue)
                nftnl_set_set_u32(object, UInt16(NFTNL_SET_DATA_LEN.rawValue), 0)
            } else {
                nftnl_set_set_u32(object, UInt16(NFTNL_SET_DATA_TYPE.rawValue), NFTSet.concatenatedType(data))
                nftnl_set_set_u32(object, UInt16(NFTNL_SET_DATA_LEN.rawValue), UInt32(data.map(\.length).reduce(0, +)))
            }
        }
        append("add set \(set.rawValue)", type: NFT_MSG_NEWSET.rawValue, flags: MessageFlags.create) {
            nftnl_set_nlmsg_build_payload($0, object)
        }
    }

    /// Deletes every element of a set: a DELSETELEM without an element list.
    mutating func flushSet(_ set: NFTSet) {
        append("flush set \(set.rawValue)", type: NFT_MSG_DELSETELEM.rawValue, flags: MessageFlags.none) { header in
            mnl_attr_put_strz(header, UInt16(NFTA_SET_ELEM_LIST_TABLE.rawValue), Self.tableName)
            mnl_attr_put_strz(header, UInt16(NFTA_SET_ELEM_LIST_SET.rawValue), set.rawValue)
            mnl_attr_put_u32(header, UInt16(NFTA_SET_ELEM_LIST_SET_ID.rawValue), set.id.bigEndian)
        }
    }

    mutating func addElements(_ set: NFTSet, _ elements: [(ElementKey, ElementData)]) {
        for start in stride(from: 0, to: elements.count, by: Self.elementsPerMessage) {
            let chunk = elements[start..<min(start + Self.elementsPerMessage, elements.count)]
            elementMessage(set, type: NFT_MSG_NEWSETELEM.rawValue, flags: MessageFlags.create, chunk.map { $0 })
        }
    }

    mutating func deleteElements(_ set: NFTSet, _ keys: [ElementKey]) {
        for start in stride(from: 0, to: keys.count, by: Self.elementsPerMessage) {
            let chunk = keys[start..<min(start + Self.elementsPerMessage, keys.count)]
            elementMessage(set, type: NFT_MSG_DELSETELEM.rawValue, flags: MessageFlags.none, chunk.map { ($0, .none) })
        }
    }

    private mutating func elementMessage(_ set: NFTSet, type: UInt32, flags: Int32, _ elements: [(ElementKey, ElementData)]) {
        let object = makeSet(set)
        defer { nftnl_set_free(object) }
        for (key, data) in elements {
            let element = nftnl_set_elem_alloc()!
            let keyBytes = key.flatMap(\.bytes)
            keyBytes.withUnsafeBytes {
                _ = nftnl_set_elem_set(element, UInt16(NFTNL_SET_ELEM_KEY), $0.baseAddress, UInt32($0.count))
            }
            if set.isInterval {
                let endBytes = key.flatMap(\.endBytes)
                endBytes.withUnsafeBytes {
                    _ = nftnl_set_elem_set(element, UInt16(NFTNL_SET_ELEM_KEY_END), $0.baseAddress, UInt32($0.count))
                }
            }
            switch data {
            case .none: break
            case .goto(let chain):
                nftnl_set_elem_set_u32(element, UInt16(NFTNL_SET_ELEM_VERDICT), UInt32(bitPattern: NFT_GOTO.rawValue))
                nftnl_set_elem_set_str(element, UInt16(NFTNL_SET_ELEM_CHAIN), chain)
            case .drop:
                nftnl_set_elem_set_u32(element, UInt16(NFTNL_SET_ELEM_VERDICT), UInt32(SKIFF_NF_DROP))
            case .backend(let backend):
                let dataBytes = Field.address(backend.address).bytes + Field.port(backend.port).bytes
                dataBytes.withUnsafeBytes {
                    _ = nftnl_set_elem_set(element, UInt16(NFTNL_SET_ELEM_DATA), $0.baseAddress, UInt32($0.count))
                }
            case .mark(let value):
                let dataBytes = Field.mark(value).bytes
                dataBytes.withUnsafeBytes {
                    _ = nftnl_set_elem_set(element, UInt16(NFTNL_SET_ELEM_DATA), $0.baseAddress, UInt32($0.count))
                }
            }
            nftnl_set_elem_add(object, element)
        }
        let verb = type == NFT_MSG_NEWSETELEM.rawValue ? "add" : "delete"
        append("\(verb) \(elements.count) elements of \(set.rawValue)", type: type, flags: flags) {
            nftnl_set_elems_nlmsg_build_payload($0, object)
        }
    }

    private func makeChain(_ name: String) -> OpaquePointer {
        let chain = nftnl_chain_alloc()!
        nftnl_chain_set_str(chain, UInt16(NFTNL_CHAIN_TABLE.rawValue), Self.tableName)
        nftnl_chain_set_str(chain, UInt16(NFTNL_CHAIN_NAME.rawValue), name)
        nftnl_chain_set_u32(chain, UInt16(NFTNL_CHAIN_FAMILY.rawValue), UInt32(family))
        return chain
    }

    private func makeRule(chain: String) -> OpaquePointer {
        let rule = nftnl_rule_alloc()!
        nftnl_rule_set_str(rule, UInt16(NFTNL_RULE_TABLE.rawValue), Self.tableName)
        nftnl_rule_set_str(rule, UInt16(NFTNL_RULE_CHAIN.rawValue), chain)
        nftnl_rule_set_u32(rule, UInt16(NFTNL_RULE_FAMILY.rawValue), UInt32(family))
        return rule
    }

    private func makeSet(_ set: NFTSet) -> OpaquePointer {
        let object = nftnl_set_alloc()!
        nftnl_set_set_str(object, UInt16(NFTNL_SET_TABLE.rawValue), Self.tableName)
        nftnl_set_set_str(object, UInt16(NFTNL_SET_NAME.rawValue), set.rawValue)
        nftnl_set_set_u32(object, UInt16(NFTNL_SET_FAMILY.rawValue), UInt32(family))
        nftnl_set_set_u32(object, UInt16(NFTNL_SET_ID.rawValue), set.id)
        return object
    }
}
