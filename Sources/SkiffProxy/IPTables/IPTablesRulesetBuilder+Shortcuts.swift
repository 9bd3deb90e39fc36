/// How a Local Service's external destinations (NodePorts, external and load
/// balancer IPs) are reached from this node's pods and from the node itself: to
/// every endpoint, through the balancer that picks among them all.
struct LocalShortcut: Hashable, Sendable {
    /// The balance over every endpoint (``Frontend/shortcut(_:)``).
    var destination: Destination
    /// Its chain: the cluster IP's `KUBE-SVC-*` when that balances the same way,
    /// else a `KUBE-SVA-*` of its own (internalTrafficPolicy Local).
    var balancer: String
    var shared: Bool
}

extension IPTablesRulesetBuilder {
    /// Upstream's rules at the top of a Local Service's `KUBE-EXT-*`: pods go to
    /// every endpoint; the node's own connections are masqueraded (their source is
    /// a node address) and go there too.
    func shortcutRules(_ shortcut: LocalShortcut, name: String, proto: L4Protocol, into fragment: inout IPTablesFragment) -> [String] {
        guard case .balance(let backends, let affinity, _, _) = shortcut.destination else { return [] }
        if !shortcut.shared {
            fragment.natChains[shortcut.balancer] = balance(name, proto, backends, affinity: affinity, into: &fragment)
        }
        return [
            "-s \(clusterCIDR) \(comment("pod traffic for \(name) external destinations")) -j \(shortcut.balancer)",
            "-m addrtype --src-type LOCAL \(comment("masquerade LOCAL traffic for \(name) external destinations")) -j KUBE-MARK-MASQ",
            "-m addrtype --src-type LOCAL \(comment("route LOCAL traffic for \(name) external destinations")) -j \(shortcut.balancer)",
        ]
    }

    /// A Local destination without endpoints on this node (its filter rule drops
    /// what comes from outside): `dispatch` jumps to a `KUBE-EXT-*` with only the
    /// shortcut, so this node's pods and the node still reach the other nodes' endpoints.
    func shortcutOnly(
        _ dispatch: (table: String, chain: String, match: String), _ proto: L4Protocol, _ shortcut: LocalShortcut, name: String
    ) -> IPTablesFragment {
        var fragment = IPTablesFragment()
        let external = ChainName.external(name, proto)
        fragment.dispatchRules.append((dispatch.table, dispatch.chain, "\(dispatch.match) -j \(external)"))
        fragment.natChains[external] = shortcutRules(shortcut, name: name, proto: proto, into: &fragment)
        return fragment
    }
}
