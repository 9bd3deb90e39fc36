/// Skiff's chains in one iptables table: each chain's rules, each rule the
/// arguments that follow `-A CHAIN` in iptables-restore input.
public struct IPTablesTable: Hashable, Sendable {
    /// "nat" or "filter".
    public let name: String
    public var chains: [String: [String]] = [:]

    public init(name: String) { self.name = name }

    public var ruleCount: Int { chains.values.reduce(0) { $0 + $1.count } }
}

/// What the iptables backend wants in the nat and filter tables for a
/// ``ProxyModel``: KUBE-like chains, as upstream's iptables mode writes them.
///
/// - nat `KUBE-SERVICES`: one rule per ClusterIP port → its `KUBE-SVC-*`; the last
///   sends traffic to a local address (not 127.0.0.0/8) on to `KUBE-NODEPORTS`,
///   one rule per NodePort → its `KUBE-EXT-*` (mark for masquerade unless
///   externalTrafficPolicy is Local, then the balancer).
/// - `KUBE-SVC-*` (all endpoints) / `KUBE-SVL-*` (a NodePort's own endpoints, when
///   they differ from the ClusterIP's): marks ClusterIP traffic from outside the
///   cluster CIDR, jumps to a remembered endpoint (`-m recent --rcheck`, ClientIP
///   affinity), else picks one with `-m statistic --mode random --probability`.
/// - `KUBE-SEP-*`: marks a pod reaching itself (hairpin), remembers the client
///   (affinity) and DNATs.
/// - `KUBE-POSTROUTING` masquerades marked connections and (egress masquerade)
///   unmarked ones from the cluster CIDR to outside it.
/// - filter `KUBE-SERVICES` / `KUBE-EXTERNAL-SERVICES`: REJECT (no endpoints) or DROP
///   (a Local policy without local endpoints) for ClusterIPs / NodePorts.
/// - filter `KUBE-FORWARD`: drops packets conntrack finds invalid and accepts
///   Service traffic (marked, or of a known connection), so a host whose FORWARD
///   policy is DROP (Docker sets it) still forwards it.
public struct IPTablesRuleset: Hashable, Sendable {
    public var nat = IPTablesTable(name: "nat")
    public var filter = IPTablesTable(name: "filter")

    /// The chains every ruleset has, whatever its Services, per table.
    static let fixedChains: [String: [String]] = [
        "nat": ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-MARK-MASQ", "KUBE-POSTROUTING"],
        "filter": ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD"],
    ]

    /// Chains with one independent rule per destination: a partial sync deletes and
    /// appends single rules there instead of rewriting them (their order does not matter).
    static let dispatchChains: [String: Set<String>] = [
        "nat": ["KUBE-SERVICES", "KUBE-NODEPORTS"],
        "filter": ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES"],
    ]

    /// The packet mark bit for "masquerade this connection", as upstream's.
    static let masqueradeMark = "0x4000"

    public init() {}

    public init(model: ProxyModel, clusterCIDR: IPCIDR, egressMasquerade: Bool = true) {
        var cache = IPTablesFragmentCache()
        self.init(model: model, clusterCIDR: clusterCIDR, egressMasquerade: egressMasquerade, cache: &cache)
    }

    /// The ruleset for `model`, reusing what `cache` holds for unchanged destinations
    /// and leaving it holding this model's.
    public init(model: ProxyModel, clusterCIDR: IPCIDR, egressMasquerade: Bool, cache: inout IPTablesFragmentCache) {
        var builder = IPTablesRulesetBuilder(clusterCIDR: clusterCIDR, egressMasquerade: egressMasquerade)
        builder.add(model, cache: &cache)
        self = builder.ruleset
    }

    func table(_ name: String) -> IPTablesTable { name == "nat" ? nat : filter }

    /// How many chains every ruleset has, in both tables.
    public static var fixedChainCount: Int { fixedChains.values.reduce(0) { $0 + $1.count } }

    /// Chains that exist because of Services.
    public var perServiceChains: Int { nat.chains.keys.filter(ChainName.isPerService).count }

    var size: RulesetSize {
        RulesetSize(mode: .iptables, chains: perServiceChains, counts: ["nat": nat.ruleCount, "filter": filter.ruleCount])
    }
}
