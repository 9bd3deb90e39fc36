import Foundation

/// Writes the chains of an ``IPTablesRuleset`` for a model's destinations.
struct IPTablesRulesetBuilder {
    let clusterCIDR: IPCIDR
    private(set) var ruleset = IPTablesRuleset()

    /// `/32` or `/128`: one address of the family.
    private var host: String { clusterCIDR.family == .ipv4 ? "/32" : "/128" }
    /// The loopback range NodePorts are not served on.
    private var loopback: String { clusterCIDR.family == .ipv4 ? "127.0.0.0/8" : "::1/128" }
    /// REJECT's ICMP (ip6tables: ICMPv6) port unreachable.
    private var reject: String {
        "-j REJECT --reject-with " + (clusterCIDR.family == .ipv4 ? "icmp-port-unreachable" : "icmp6-port-unreachable")
    }

    init(clusterCIDR: IPCIDR, egressMasquerade: Bool) {
        self.clusterCIDR = clusterCIDR
        for (table, chains) in IPTablesRuleset.fixedChains {
            for chain in chains { self[table, chain] = [] }
        }
        let mark = IPTablesRuleset.masqueradeMark
        self["nat", "KUBE-MARK-MASQ"] = ["-j MARK --or-mark \(mark)"]
        // As upstream's: an invalid packet of a NATed connection (out of the TCP window)
        // would otherwise reach the pod un-NATed and draw a reset that kills the connection.
        self["filter", "KUBE-FORWARD"] = [
            "-m conntrack --ctstate INVALID -j DROP",
            "-m comment --comment \"kubernetes forwarding rules\" -m mark --mark \(mark)/\(mark) -j ACCEPT",
            "-m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        ]
        // A pod reaching a node address or beyond leaves with the node's address (the
        // network outside knows no route back to pods); pod to pod, on any node, keeps
        // its addresses. Marked connections are left to the rules after it.
        let egress = "-s \(clusterCIDR) ! -d \(clusterCIDR) -m mark ! --mark \(mark)/\(mark) "
            + "-m comment --comment \"pod traffic leaving the cluster network\" -j MASQUERADE --random-fully"
        self["nat", "KUBE-POSTROUTING"] = (egressMasquerade ? [egress] : []) + [
            "-m mark ! --mark \(mark)/\(mark) -j RETURN",
            // Cleared first: the packet may be forwarded again (a tunnel) and must not be masqueraded twice.
            "-j MARK --xor-mark \(mark)",
            // Random source ports, as upstream's (see Expression.masquerade).
            "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
        ]
    }

    private subscript(table: String, chain: String) -> [String] {
        get { table == "nat" ? ruleset.nat.chains[chain] ?? [] : ruleset.filter.chains[chain] ?? [] }
        set {
            if table == "nat" { ruleset.nat.chains[chain] = newValue } else { ruleset.filter.chains[chain] = newValue }
        }
    }

    /// Appends in place (through the subscript above each append would copy the chain: quadratic in KUBE-SERVICES).
    private mutating func append(_ table: String, _ chain: String, _ rule: String) {
        if table == "nat" { ruleset.nat.chains[chain, default: []].append(rule) } else { ruleset.filter.chains[chain, default: []].append(rule) }
    }

    private mutating func merge(_ fragment: IPTablesFragment) {
        for (chain, rules) in fragment.natChains { ruleset.nat.chains[chain] = rules }
        for rule in fragment.dispatchRules { append(rule.table, rule.chain, rule.rule) }
    }

    /// Adds the chains of `model`'s destinations. A destination whose inputs are in
    /// `cache` reuses the chains written for it last time (writing 10,000 Services'
    /// rules is most of a sync's own time); `cache` is left holding this model's.
    mutating func add(_ model: ProxyModel, cache: inout IPTablesFragmentCache) {
        var next = IPTablesFragmentCache()
        // Which balancer each ClusterIP port got, so that its NodePort and external IPs
        // can share it when they balance the same way.
        var clusterBalancers: [String: (chain: String, destination: Destination)] = [:]
        let names = Set(model.nodePortNames.values).union(
            model.clusterIPs.filter { !$0.value.isClusterBalance }.compactMap { model.clusterIPNames[$0.key] })
        for (address, destination) in model.clusterIPs where destination.isClusterBalance {
            guard let name = model.clusterIPNames[address], names.contains(name) else { continue }
            clusterBalancers["\(name)/\(address.proto)"] = (ChainName.service(name, address.proto), destination)
        }
        func sharedBalancer(_ name: String, _ proto: L4Protocol, _ destination: Destination) -> String? {
            guard let cluster = clusterBalancers["\(name)/\(proto)"], Self.sameBalance(cluster.destination, destination) else {
                return nil
            }
            return cluster.chain
        }
        func shortcut(_ destination: Destination?, _ name: String, _ proto: L4Protocol) -> LocalShortcut? {
            guard let destination else { return nil }
            let shared = sharedBalancer(name, proto, destination)
            return LocalShortcut(destination: destination, balancer: shared ?? ChainName.allEndpoints(name, proto), shared: shared != nil)
        }
        for (address, destination) in model.clusterIPs.sorted(by: { $0.key < $1.key }) {
            let name = model.clusterIPNames[address] ?? "\(address.address):\(address.port)"
            // External and load balancer IPs: reached from outside, as a NodePort is.
            let shared = destination.isClusterBalance ? nil : sharedBalancer(name, address.proto, destination)
            let local = shortcut(model.shortcuts[address], name, address.proto)
            let key = IPTablesFragmentCache.ClusterKey(
                address: address, destination: destination, name: name, sharedBalancer: shared, shortcut: local)
            let fragment = cache.clusterIPs[key] ?? {
                let dispatch = ("nat", "KUBE-SERVICES",
                    "-d \(address.address)\(host) -p \(address.proto) \(comment("\(name) external IP")) -m \(address.proto) --dport \(address.port)")
                guard case .balance = destination, !destination.isClusterBalance else {
                    let fragment = clusterFragment(address, destination, name: name)
                    guard let local else { return fragment }
                    return fragment.merging(shortcutOnly(dispatch, address.proto, local, name: name))
                }
                return externalFragment(
                    dispatch, address.proto, destination, name: name, sharedBalancer: shared, address: address, shortcut: local)
            }()
            next.clusterIPs[key] = fragment
            merge(fragment)
        }
        for (port, destination) in model.nodePorts.sorted(by: { $0.key < $1.key }) {
            let name = model.nodePortNames[port] ?? "node port \(port.port)"
            let shared = sharedBalancer(name, port.proto, destination)
            let local = shortcut(model.nodePortShortcuts[port], name, port.proto)
            let key = IPTablesFragmentCache.NodePortKey(
                port: port, destination: destination, name: name, sharedBalancer: shared, shortcut: local)
            let fragment = cache.nodePorts[key] ?? nodePortFragment(port, destination, name: name, sharedBalancer: shared, shortcut: local)
            next.nodePorts[key] = fragment
            merge(fragment)
        }
        // Last, so a ClusterIP rule always wins; loopback excluded as nftables' (DNAT there needs route_localnet).
        append("nat", "KUBE-SERVICES",
               "\(comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain")) "
                   + "! -d \(loopback) -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS")
        cache = next
    }

    private func clusterFragment(_ address: ServiceAddress, _ destination: Destination, name: String) -> IPTablesFragment {
        var fragment = IPTablesFragment()
        let match = "-d \(address.address)\(host) -p \(address.proto)"
        let port = "-m \(address.proto) --dport \(address.port)"
        switch destination {
        case .balance(let backends, let affinity, let masquerade, _):
            let chain = ChainName.service(name, address.proto)
            fragment.dispatchRules.append(("nat", "KUBE-SERVICES", "\(match) \(comment("\(name) cluster IP")) \(port) -j \(chain)"))
            var rules: [String] = []
            switch masquerade {
            case .outsideClusterCIDR:
                rules.append("! -s \(clusterCIDR) \(match) \(comment("\(name) cluster IP")) \(port) -j KUBE-MARK-MASQ")
            case .always: rules.append("\(match) \(comment("\(name) cluster IP")) \(port) -j KUBE-MARK-MASQ")
            case .never: break
            }
            fragment.natChains[chain] = rules + balance(name, address.proto, backends, affinity: affinity, into: &fragment)
        case .reject:
            fragment.dispatchRules.append(("filter", "KUBE-SERVICES", "\(match) \(comment("\(name) has no endpoints")) \(port) \(reject)"))
        case .drop:
            fragment.dispatchRules.append(("filter", "KUBE-SERVICES", "\(match) \(comment("\(name) has no local endpoints")) \(port) -j DROP"))
        }
        return fragment
    }

    private func nodePortFragment(
        _ key: NodePortKey, _ destination: Destination, name: String, sharedBalancer: String?, shortcut: LocalShortcut?
    ) -> IPTablesFragment {
        var fragment = IPTablesFragment()
        let port = "-p \(key.proto) \(comment(name)) -m \(key.proto) --dport \(key.port)"
        switch destination {
        case .balance:
            return externalFragment(
                ("nat", "KUBE-NODEPORTS", port), key.proto, destination, name: name, sharedBalancer: sharedBalancer, shortcut: shortcut)
        case .reject:
            fragment.dispatchRules.append(("filter", "KUBE-EXTERNAL-SERVICES", "-m addrtype --dst-type LOCAL \(port) \(reject)"))
        case .drop:
            fragment.dispatchRules.append(("filter", "KUBE-EXTERNAL-SERVICES", "-m addrtype --dst-type LOCAL \(port) -j DROP"))
            if let shortcut { return fragment.merging(shortcutOnly(("nat", "KUBE-NODEPORTS", port), key.proto, shortcut, name: name)) }
        }
        return fragment
    }

    /// A destination reached from outside (a NodePort, an external or load balancer
    /// IP): `dispatch` (table, chain, match) jumps to the Service port's
    /// `KUBE-EXT-*`, shared by all of them, which marks for masquerade (unless
    /// externalTrafficPolicy is Local) and goes on to the balancer — the ClusterIP's
    /// when it picks the same endpoints, else a `KUBE-SVL-*` of its own.
    ///
    /// A load balancer IP with source ranges (`address`, its allowed sources) goes
    /// through the port's `KUBE-FW-*` first, which jumps on only from those ranges;
    /// what it lets fall through is not DNATed and meets a DROP for the address in
    /// filter `KUBE-SERVICES`, as upstream's KUBE-PROXY-FIREWALL does.
    private func externalFragment(
        _ dispatch: (table: String, chain: String, match: String), _ proto: L4Protocol, _ destination: Destination,
        name: String, sharedBalancer: String?, address: ServiceAddress? = nil, shortcut: LocalShortcut? = nil
    ) -> IPTablesFragment {
        var fragment = IPTablesFragment()
        guard case .balance(let backends, let affinity, let masquerade, let allowedSources) = destination else { return fragment }
        let external = ChainName.external(name, proto)
        if let allowedSources, let address {
            let firewall = ChainName.firewall(name, proto)
            fragment.dispatchRules.append((dispatch.table, dispatch.chain, "\(dispatch.match) -j \(firewall)"))
            fragment.natChains[firewall] = allowedSources.map { "-s \($0) \(comment("\(name) loadbalancer IP")) -j \(external)" }
            fragment.dispatchRules.append((
                "filter", "KUBE-SERVICES",
                "-d \(address.address)\(host) -p \(proto) \(comment("\(name) traffic not accepted by \(firewall)")) "
                    + "-m \(proto) --dport \(address.port) -j DROP"))
        } else {
            fragment.dispatchRules.append((dispatch.table, dispatch.chain, "\(dispatch.match) -j \(external)"))
        }
        let balancer = sharedBalancer ?? ChainName.local(name, proto)
        if sharedBalancer == nil {
            fragment.natChains[balancer] = balance(name, proto, backends, affinity: affinity, into: &fragment)
        }
        var rules: [String] = []
        if masquerade != .never {
            rules.append("\(comment("masquerade traffic for \(name) external destinations")) -j KUBE-MARK-MASQ")
        }
        if let shortcut { rules += shortcutRules(shortcut, name: name, proto: proto, into: &fragment) }
        fragment.natChains[external] = rules + ["-j \(balancer)"]
        return fragment
    }

    /// A balancer's rules, and each endpoint's chain: remembered endpoints first
    /// (ClientIP affinity), then endpoint i of n taken with probability 1/(n-i), so
    /// each is picked 1/n of the time, the last one unconditionally.
    func balance(
        _ name: String, _ proto: L4Protocol, _ backends: [Backend], affinity: Int32?, into fragment: inout IPTablesFragment
    ) -> [String] {
        var rules: [String] = []
        let endpoints = backends.map { (backend: $0, chain: ChainName.endpoint(name, proto, $0)) }
        for (backend, chain) in endpoints {
            var rules: [String] = []
            rules.append("-s \(backend.address)\(host) \(comment(name)) -j KUBE-MARK-MASQ")
            let remember = affinity == nil ? "" : " -m recent --name \(chain) --set --rsource"
            rules.append("-p \(proto) \(comment(name))\(remember) -m \(proto) -j DNAT --to-destination \(backend)")
            fragment.natChains[chain] = rules
        }
        if let affinity {
            for (backend, chain) in endpoints {
                rules.append("\(comment("\(name) -> \(backend)")) -m recent --name \(chain) --rcheck --seconds \(affinity) --reap -j \(chain)")
            }
        }
        for (index, (backend, chain)) in endpoints.enumerated() {
            let remaining = endpoints.count - index
            let pick = remaining > 1 ? " -m statistic --mode random --probability \(Self.probability(remaining))" : ""
            rules.append("\(comment("\(name) -> \(backend)"))\(pick) -j \(chain)")
        }
        return rules
    }

    func comment(_ text: String) -> String { "-m comment --comment \"\(text)\"" }

    /// 1/n with ten decimals, as upstream writes it (formatted once per n: String(format:) is slow).
    private static func probability(_ n: Int) -> String {
        n < commonProbabilities.count ? commonProbabilities[n] : String(format: "%.10f", 1.0 / Double(n))
    }

    private static let commonProbabilities = (0..<64).map { $0 < 2 ? "" : String(format: "%.10f", 1.0 / Double($0)) }

    /// Whether two destinations pick the same endpoints the same way (masquerade aside).
    private static func sameBalance(_ a: Destination, _ b: Destination) -> Bool {
        guard case .balance(let backendsA, let affinityA, _, _) = a, case .balance(let backendsB, let affinityB, _, _) = b else {
            return false
        }
        return backendsA == backendsB && affinityA == affinityB
    }
}
