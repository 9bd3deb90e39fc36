import CNftnl

/// The rules of a `skiff` table's chains, as expression lists. Only the family
/// (where addresses sit in the header, how many registers they take) and the
/// cluster CIDR (which traffic to masquerade) vary between tables and nodes.
struct Rules: Sendable {
    var clusterCIDR: IPCIDR
    /// Whether pods' traffic leaving the cluster CIDR is masqueraded.
    var egressMasquerade = true

    var family: IPFamily { clusterCIDR.family }

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
                 .bitwise(register: Register.r1, mask: hostBytes(Self.masqueradeBit), xor: hostBytes(0)),
                 .compare(op: Expression.equal, register: Register.r1, data: hostBytes(Self.masqueradeBit)),
                 .meta(key: Expression.metaMark, into: Register.r1),
                 .bitwise(register: Register.r1, mask: hostBytes(~0), xor: hostBytes(Self.masqueradeBit)),
                 .setMeta(key: Expression.metaMark, from: Register.r1), .masquerade],
                // A pod that reached itself through a Service: without SNAT its reply would bypass the DNAT.
                [.conntrack(key: NFT_CT_STATUS.rawValue, into: Register.r1),
                 .bitwise(register: Register.r1, mask: hostBytes(UInt32(SKIFF_IPS_DST_NAT)), xor: hostBytes(0)),
                 .compare(op: Expression.notEqual, register: Register.r1, data: hostBytes(0)),
                 source(into: Register.r1), destination(into: Register.r32(addressWords)),
                 .lookup(set: .hairpin, from: Register.r1, into: nil), .masquerade],
            ] + (egressMasquerade ? [egress()] : [])
        case .services:
            // Shortcuts first: from pods and the node, a Local Service's external
            // addresses and NodePorts go to every endpoint, before the lookups below
            // would send them to this node's endpoints only.
            [fromPods(), fromThisNode()].map {
                $0 + serviceKey() + [.lookup(set: .shortcuts, from: Register.r1, into: Register.verdict)]
            } + [fromPods(), fromThisNode()].map {
                $0 + localDestination() + notLoopback() + nodePortKey()
                    + [.lookup(set: .nodePortShortcuts, from: Register.r1, into: Register.verdict)]
            } + [
                serviceKey() + [.lookup(set: .serviceIPs, from: Register.r1, into: Register.verdict)],
                localDestination() + notLoopback() + nodePortKey()
                    + [.lookup(set: .nodePorts, from: Register.r1, into: Register.verdict)],
            ]
        case .filterInput:
            [
                newConnection() + localDestination() + nodePortKey()
                    + [.lookup(set: .noEndpointNodePorts, from: Register.r1, into: Register.verdict)],
                endpointless(),
            ]
        case .filterForward: [endpointless()]
        case .filterOutput:
            // Before nat output (-100): the node's own connections meet the source ranges too.
            [endpointless(), firewall()]
        case .filterPrerouting: [firewall()]
        case .rejectEndpointless: [[.rejectPortUnreachable(family)]]
        }
    }

    func rules(_ shape: Shape) -> [[Expression]] {
        switch shape {
        case .cluster(let n): random(n, slots: .slots, masquerade: masqueradeOutsideCluster())
        case .nodePort(let n, let masquerade): random(n, slots: .nodePortSlots, masquerade: masquerade ? markForMasquerade() : nil)
        case .stickyCluster(let n, let seconds):
            sticky(n, seconds: seconds, slots: .slots, masquerade: masqueradeOutsideCluster())
        case .stickyNodePort(let n, let seconds, let masquerade):
            sticky(n, seconds: seconds, slots: .nodePortSlots, masquerade: masquerade ? markForMasquerade() : nil)
        case .external(let n, let masquerade): random(n, slots: .slots, masquerade: masquerade ? markForMasquerade() : nil)
        case .stickyExternal(let n, let seconds, let masquerade):
            sticky(n, seconds: seconds, slots: .slots, masquerade: masquerade ? markForMasquerade() : nil)
        case .shortcut(let n, let seconds):
            seconds.map { sticky(n, seconds: $0, slots: .shortcutSlots, masquerade: masqueradeOutsideCluster()) }
                ?? random(n, slots: .shortcutSlots, masquerade: masqueradeOutsideCluster())
        case .nodePortShortcut(let n, let seconds):
            seconds.map { sticky(n, seconds: $0, slots: .nodePortShortcutSlots, masquerade: masqueradeOutsideCluster()) }
                ?? random(n, slots: .nodePortShortcutSlots, masquerade: masqueradeOutsideCluster())
        }
    }

    /// A shape without affinity: the masquerade rule, if any, then a random slot of
    /// `n` and DNAT to what `slots` maps it (and the frontend's key) to.
    private func random(_ n: Int, slots: NFTSet, masquerade: [Expression]?) -> [[Expression]] {
        (masquerade.map { [$0] } ?? []) + [randomSlot(n, slots)]
    }

    /// `dnat to numgen random mod N . KEY map @slots`.
    private func randomSlot(_ n: Int, _ slots: NFTSet) -> [Expression] {
        [.randomNumber(modulus: UInt32(n), into: Register.r1)] + slotKeyTail(slots) + dnat(slots)
    }

    /// ClientIP affinity without a chain per Service: the slot number travels in
    /// the packet mark — a fresh random one, replaced by the one the affinity map
    /// remembers for (client . destination . protocol . port), remembered again
    /// (refreshing the timeout) — and then selects the endpoint from the slots map.
    /// A remembered slot the Service no longer has finds no endpoint; the last rule
    /// then picks a random one.
    private func sticky(_ n: Int, seconds: Int32, slots: NFTSet, masquerade: [Expression]?) -> [[Expression]] {
        let affinityKey = [source(into: Register.r1)] + serviceKey(from: addressWords)
        var rules: [[Expression]] = [
            [.randomNumber(modulus: UInt32(n), into: Register.r1), .setMeta(key: Expression.metaMark, from: Register.r1)],
            affinityKey + [.lookup(set: .affinity, from: Register.r1, into: Register.r1),
                           .setMeta(key: Expression.metaMark, from: Register.r1)],
            affinityKey + [.meta(key: Expression.metaMark, into: afterAffinityKey),
                           .updateSet(set: .affinity, keyRegister: Register.r1, dataRegister: afterAffinityKey,
                                      timeoutMilliseconds: UInt64(seconds) * 1000)],
        ]
        if let masquerade { rules.append(masquerade) }
        rules.append(
            [.meta(key: Expression.metaMark, into: Register.r1),
             .bitwise(register: Register.r1, mask: hostBytes(Self.slotBits), xor: hostBytes(0))]
                + slotKeyTail(slots) + dnat(slots))
        rules.append(randomSlot(n, slots))
        return rules
    }

    /// `ct state new ip daddr . meta l4proto . th dport @firewalled ip daddr . meta
    /// l4proto . th dport . ip saddr != @firewall_allowed drop`: a load balancer IP
    /// with source ranges takes new connections only from them. (nft also puts a
    /// `byteorder` of the one-byte protocol before an interval lookup; for one byte
    /// it changes nothing, and it is left out.)
    private func firewall() -> [Expression] {
        newConnection() + serviceKey() + [.lookup(set: .firewalled, from: Register.r1, into: nil)]
            + serviceKey() + [source(into: Register.r32(addressWords + 2)),
                              .lookup(set: .firewallAllowed, from: Register.r1, into: nil, inverted: true), .drop]
    }

    /// `ct state new ip daddr . meta l4proto . th dport vmap @no_endpoints`: reject
    /// or drop what a Service without (usable) endpoints is sent.
    private func endpointless() -> [Expression] {
        newConnection() + serviceKey() + [.lookup(set: .noEndpoints, from: Register.r1, into: Register.verdict)]
    }

    // MARK: pieces

    private func hostBytes(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

    /// 32-bit registers an address takes: 1 (IPv4) or 4 (IPv6).
    private var addressWords: UInt32 { UInt32(family.addressLength / 4) }

    /// Where the source and destination addresses sit in the network header.
    private var sourceOffset: UInt32 { family == .ipv4 ? 12 : 8 }
    private var destinationOffset: UInt32 { family == .ipv4 ? 16 : 24 }

    /// The first register free after the affinity key (client . destination .
    /// protocol . port): NFT_REG_2 for IPv4, as nft allocates it; past the ten
    /// 32-bit registers of the IPv6 key, which NFT_REG_2 would overlap.
    private var afterAffinityKey: UInt32 { family == .ipv4 ? Register.r2 : Register.r32(2 * addressWords + 2) }

    private func source(into register: UInt32) -> Expression {
        .payload(base: Expression.networkHeader, offset: sourceOffset, length: UInt32(family.addressLength), into: register)
    }

    private func destination(into register: UInt32) -> Expression {
        .payload(base: Expression.networkHeader, offset: destinationOffset, length: UInt32(family.addressLength), into: register)
    }

    private func protocolAndPort(from register: UInt32) -> [Expression] {
        [.meta(key: Expression.metaL4Proto, into: Register.r32(register)),
         .payload(base: Expression.transportHeader, offset: 2, length: 2, into: Register.r32(register + 1))]
    }

    /// ip(6) daddr . meta l4proto . th dport, from the n-th 4-byte register (0 = NFT_REG_1).
    private func serviceKey(from n: UInt32 = 0) -> [Expression] {
        [destination(into: n == 0 ? Register.r1 : Register.r32(n))] + protocolAndPort(from: n + addressWords)
    }

    private func nodePortKey() -> [Expression] {
        [.meta(key: Expression.metaL4Proto, into: Register.r1),
         .payload(base: Expression.transportHeader, offset: 2, length: 2, into: Register.r32(1))]
    }

    /// The key after the slot number: the service key, or the NodePort's (protocol . port).
    private func slotKeyTail(_ slots: NFTSet) -> [Expression] {
        slots == .slots || slots == .shortcutSlots ? serviceKey(from: 1) : protocolAndPort(from: 1)
    }

    private func dnat(_ slots: NFTSet) -> [Expression] {
        [.lookup(set: slots, from: Register.r1, into: Register.r1),
         .dnat(family: family, addressRegister: Register.r1, portRegister: Register.r32(addressWords))]
    }

    /// `ip saddr CLUSTER-CIDR`: from a pod.
    private func fromPods() -> [Expression] { inClusterCIDR(offset: sourceOffset, op: Expression.equal) }

    /// `fib saddr type local`: from an address of this node.
    private func fromThisNode() -> [Expression] {
        [.fibSourceType(into: Register.r1), .compare(op: Expression.equal, register: Register.r1, data: hostBytes(2))]  // RTN_LOCAL
    }

    private func localDestination() -> [Expression] {
        [.fibDestinationType(into: Register.r1), .compare(op: Expression.equal, register: Register.r1, data: hostBytes(2))]  // RTN_LOCAL
    }

    /// NodePorts are not served on 127.0.0.0/8 or ::1 (as upstream's nftables mode:
    /// DNAT of loopback traffic would need route_localnet, which IPv6 does not have).
    private func notLoopback() -> [Expression] {
        if family == .ipv4 {
            return [.payload(base: Expression.networkHeader, offset: destinationOffset, length: 1, into: Register.r1),
                    .compare(op: Expression.notEqual, register: Register.r1, data: [127])]
        }
        return [destination(into: Register.r1),
                .compare(op: Expression.notEqual, register: Register.r1, data: IPAddress(family: .ipv6, value: 1).bytes)]
    }

    private func newConnection() -> [Expression] {
        [.conntrack(key: NFT_CT_STATE.rawValue, into: Register.r1),
         .bitwise(register: Register.r1, mask: hostBytes(8), xor: hostBytes(0)),  // NF_CT_STATE_BIT(IP_CT_NEW)
         .compare(op: Expression.notEqual, register: Register.r1, data: hostBytes(0))]
    }

    private func markForMasquerade() -> [Expression] {
        [.meta(key: Expression.metaMark, into: Register.r1),
         .bitwise(register: Register.r1, mask: hostBytes(~Self.masqueradeBit), xor: hostBytes(Self.masqueradeBit)),
         .setMeta(key: Expression.metaMark, from: Register.r1)]
    }

    /// `ip saddr != CLUSTER-CIDR meta mark set meta mark | 0x4000`.
    private func masqueradeOutsideCluster() -> [Expression] {
        inClusterCIDR(offset: sourceOffset, op: Expression.notEqual) + markForMasquerade()
    }

    /// `ip saddr CLUSTER-CIDR ip daddr != CLUSTER-CIDR masquerade`: a pod reaching a
    /// node address or beyond leaves with the node's address (the network outside
    /// knows no route back to pods); pod to pod, on any node, keeps its addresses.
    private func egress() -> [Expression] {
        inClusterCIDR(offset: sourceOffset, op: Expression.equal)
            + inClusterCIDR(offset: destinationOffset, op: Expression.notEqual) + [.masquerade]
    }

    /// Compares the address at `offset` (source or destination) with the cluster
    /// CIDR, loading only the prefix's bytes (as nft does): whole bytes compare as
    /// they are, a partial last byte is masked first.
    private func inClusterCIDR(offset: UInt32, op: UInt32) -> [Expression] {
        let prefix = clusterCIDR.prefixLength
        let network = clusterCIDR.network.bytes
        if prefix % 8 == 0 {
            let length = prefix / 8
            return [.payload(base: Expression.networkHeader, offset: offset, length: UInt32(length), into: Register.r1),
                    .compare(op: op, register: Register.r1, data: Array(network.prefix(length)))]
        }
        // The prefix's bytes rounded up to whole 32-bit words (nft loads the whole address).
        let length = min((prefix / 8 + 4) / 4 * 4, network.count)
        let mask = IPAddress(family: family, value: clusterCIDR.mask).bytes.prefix(length)
        return [.payload(base: Expression.networkHeader, offset: offset, length: UInt32(length), into: Register.r1),
                .bitwise(register: Register.r1, mask: Array(mask), xor: Array(repeating: 0, count: length)),
                .compare(op: op, register: Register.r1, data: Array(network.prefix(length)))]
    }
}
