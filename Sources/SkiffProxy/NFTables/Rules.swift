import CNftnl

/// The rules of the `skiff` table's chains, as expression lists. Only the
/// cluster CIDR (which traffic to masquerade) varies between nodes.
struct Rules: Sendable {
    var clusterCIDR: IPv4CIDR
    /// Whether pods' traffic leaving the cluster CIDR is masqueraded.
    var egressMasquerade = true

    /// The packet mark bit for "masquerade this connection", as upstream's 0x4000.
    static let masqueradeBit: UInt32 = 0x4000
    /// The mark bits the sticky chains keep a slot number in.
    static let slotBits: UInt32 = 0x3fff

    func rules(_ chain: BaseChain) -> [[Expression]] {
        switch chain {
        case .natPrerouting, .natOutput: [[.jump(BaseChain.services.rawValue)]]
        case .natPostrouting:
            [
                // Marked for masquerade: clear the bit (the packet may be forwarded again) and masquerade.
                [.meta(key: Expression.metaMark, into: Register.r1),
                 .bitwise(register: Register.r1, mask: Self.masqueradeBit, xor: 0),
                 .compare(op: Expression.equal, register: Register.r1, data: hostBytes(Self.masqueradeBit)),
                 .meta(key: Expression.metaMark, into: Register.r1),
                 .bitwise(register: Register.r1, mask: ~0, xor: Self.masqueradeBit),
                 .setMeta(key: Expression.metaMark, from: Register.r1), .masquerade],
                // A pod that reached itself through a Service: without SNAT its reply would bypass the DNAT.
                [.conntrack(key: NFT_CT_STATUS.rawValue, into: Register.r1),
                 .bitwise(register: Register.r1, mask: UInt32(SKIFF_IPS_DST_NAT), xor: 0),
                 .compare(op: Expression.notEqual, register: Register.r1, data: hostBytes(0)),
                 source(into: Register.r1), destination(into: Register.r32(1)),
                 .lookup(set: .hairpin, from: Register.r1, into: nil), .masquerade],
            ] + (egressMasquerade ? [egress()] : [])
        case .services:
            [
                serviceKey() + [.lookup(set: .serviceIPs, from: Register.r1, into: Register.verdict)],
                localDestination() + notLoopback() + nodePortKey()
                    + [.lookup(set: .nodePorts, from: Register.r1, into: Register.verdict)],
            ]
        case .filterInput:
            [
                newConnection() + localDestination() + nodePortKey()
                    + [.lookup(set: .noEndpointNodePorts, from: Register.r1, into: Register.verdict)],
                newConnection() + serviceKey() + [.lookup(set: .noEndpoints, from: Register.r1, into: Register.verdict)],
            ]
        case .filterForward, .filterOutput:
            [newConnection() + serviceKey() + [.lookup(set: .noEndpoints, from: Register.r1, into: Register.verdict)]]
        case .rejectEndpointless: [[.rejectPortUnreachable]]
        }
    }

    func rules(_ shape: Shape) -> [[Expression]] {
        switch shape {
        case .cluster(let n):
            [masqueradeOutsideCluster(), [.randomNumber(modulus: UInt32(n), into: Register.r1)] + slotKeyTail(.slots) + dnat(.slots)]
        case .nodePort(let n, let masquerade):
            (masquerade ? [markForMasquerade()] : [])
                + [[.randomNumber(modulus: UInt32(n), into: Register.r1)] + slotKeyTail(.nodePortSlots) + dnat(.nodePortSlots)]
        case .stickyCluster(let n, let seconds):
            sticky(n, seconds: seconds, slots: .slots, masquerade: masqueradeOutsideCluster())
        case .stickyNodePort(let n, let seconds, let masquerade):
            sticky(n, seconds: seconds, slots: .nodePortSlots, masquerade: masquerade ? markForMasquerade() : nil)
        case .external(let n, let masquerade):
            (masquerade ? [markForMasquerade()] : [])
                + [[.randomNumber(modulus: UInt32(n), into: Register.r1)] + slotKeyTail(.slots) + dnat(.slots)]
        case .stickyExternal(let n, let seconds, let masquerade):
            sticky(n, seconds: seconds, slots: .slots, masquerade: masquerade ? markForMasquerade() : nil)
        }
    }

    /// ClientIP affinity without a chain per Service: the slot number travels in
    /// the packet mark — a fresh random one, replaced by the one the affinity map
    /// remembers for (client . destination . protocol . port), remembered again
    /// (refreshing the timeout) — and then selects the endpoint from the slots map.
    /// A remembered slot the Service no longer has finds no endpoint; the last rule
    /// then picks a random one.
    private func sticky(_ n: Int, seconds: Int32, slots: NFTSet, masquerade: [Expression]?) -> [[Expression]] {
        let affinityKey = [source(into: Register.r1)] + serviceKey(from: 1)
        var rules: [[Expression]] = [
            [.randomNumber(modulus: UInt32(n), into: Register.r1), .setMeta(key: Expression.metaMark, from: Register.r1)],
            affinityKey + [.lookup(set: .affinity, from: Register.r1, into: Register.r1),
                           .setMeta(key: Expression.metaMark, from: Register.r1)],
            affinityKey + [.meta(key: Expression.metaMark, into: Register.r2),
                           .updateSet(set: .affinity, keyRegister: Register.r1, dataRegister: Register.r2,
                                      timeoutMilliseconds: UInt64(seconds) * 1000)],
        ]
        if let masquerade { rules.append(masquerade) }
        rules.append(
            [.meta(key: Expression.metaMark, into: Register.r1), .bitwise(register: Register.r1, mask: Self.slotBits, xor: 0)]
                + slotKeyTail(slots) + dnat(slots))
        rules.append([.randomNumber(modulus: UInt32(n), into: Register.r1)] + slotKeyTail(slots) + dnat(slots))
        return rules
    }

    // MARK: pieces

    private func hostBytes(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

    private func source(into register: UInt32) -> Expression {
        .payload(base: Expression.networkHeader, offset: 12, length: 4, into: register)
    }

    private func destination(into register: UInt32) -> Expression {
        .payload(base: Expression.networkHeader, offset: 16, length: 4, into: register)
    }

    private func protocolAndPort(from register: UInt32) -> [Expression] {
        [.meta(key: Expression.metaL4Proto, into: Register.r32(register)),
         .payload(base: Expression.transportHeader, offset: 2, length: 2, into: Register.r32(register + 1))]
    }

    /// ip daddr . meta l4proto . th dport, from the n-th 4-byte register (0 = NFT_REG_1).
    private func serviceKey(from n: UInt32 = 0) -> [Expression] {
        [destination(into: n == 0 ? Register.r1 : Register.r32(n))] + protocolAndPort(from: n + 1)
    }

    private func nodePortKey() -> [Expression] {
        [.meta(key: Expression.metaL4Proto, into: Register.r1),
         .payload(base: Expression.transportHeader, offset: 2, length: 2, into: Register.r32(1))]
    }

    /// The key after the slot number: the service key, or the NodePort's (protocol . port).
    private func slotKeyTail(_ slots: NFTSet) -> [Expression] {
        slots == .slots ? serviceKey(from: 1) : protocolAndPort(from: 1)
    }

    private func dnat(_ slots: NFTSet) -> [Expression] {
        [.lookup(set: slots, from: Register.r1, into: Register.r1),
         .dnat(addressRegister: Register.r1, portRegister: Register.r32(1))]
    }

    private func localDestination() -> [Expression] {
        [.fibDestinationType(into: Register.r1), .compare(op: Expression.equal, register: Register.r1, data: hostBytes(2))]  // RTN_LOCAL
    }

    /// NodePorts are not served on 127.0.0.0/8 (as upstream's nftables mode: DNAT of
    /// loopback traffic would need route_localnet).
    private func notLoopback() -> [Expression] {
        [.payload(base: Expression.networkHeader, offset: 16, length: 1, into: Register.r1),
         .compare(op: Expression.notEqual, register: Register.r1, data: [127])]
    }

    private func newConnection() -> [Expression] {
        [.conntrack(key: NFT_CT_STATE.rawValue, into: Register.r1),
         .bitwise(register: Register.r1, mask: 8, xor: 0),  // NF_CT_STATE_BIT(IP_CT_NEW)
         .compare(op: Expression.notEqual, register: Register.r1, data: hostBytes(0))]
    }

    private func markForMasquerade() -> [Expression] {
        [.meta(key: Expression.metaMark, into: Register.r1),
         .bitwise(register: Register.r1, mask: ~Self.masqueradeBit, xor: Self.masqueradeBit),
         .setMeta(key: Expression.metaMark, from: Register.r1)]
    }

    /// `ip saddr != CLUSTER-CIDR meta mark set meta mark | 0x4000`.
    private func masqueradeOutsideCluster() -> [Expression] {
        inClusterCIDR(offset: 12, op: Expression.notEqual) + markForMasquerade()
    }

    /// `ip saddr CLUSTER-CIDR ip daddr != CLUSTER-CIDR masquerade`: a pod reaching a
    /// node address or beyond leaves with the node's address (the network outside
    /// knows no route back to pods); pod to pod, on any node, keeps its addresses.
    private func egress() -> [Expression] {
        inClusterCIDR(offset: 12, op: Expression.equal) + inClusterCIDR(offset: 16, op: Expression.notEqual) + [.masquerade]
    }

    /// Compares the address at `offset` (12 source, 16 destination) with the cluster
    /// CIDR, loading only the prefix's whole bytes when it has no partial byte (as nft does).
    private func inClusterCIDR(offset: UInt32, op: UInt32) -> [Expression] {
        let prefix = clusterCIDR.prefixLength
        if prefix % 8 == 0 {
            let length = UInt32(prefix / 8)
            return [.payload(base: Expression.networkHeader, offset: offset, length: length, into: Register.r1),
                    .compare(op: op, register: Register.r1, data: Array(clusterCIDR.network.bytes.prefix(Int(length))))]
        }
        return [.payload(base: Expression.networkHeader, offset: offset, length: 4, into: Register.r1),
                .bitwise(register: Register.r1, mask: UInt32(bigEndian: clusterCIDR.mask), xor: 0),
                .compare(op: op, register: Register.r1, data: clusterCIDR.network.bytes)]
    }
}
