import Foundation

/// Writes the chains of an ``IPTablesRuleset`` for a model's destinations.
struct IPTablesRulesetBuilder {
    let clusterCIDR: IPv4CIDR
    private(set) var ruleset = IPTablesRuleset()

    init(clusterCIDR: IPv4CIDR) {
        self.clusterCIDR = clusterCIDR
        for (table, chains) in IPTablesRuleset.fixedChains {
            for chain in chains { self[table, chain] = [] }
        }
        let mark = IPTablesRuleset.masqueradeMark
        self["nat", "KUBE-MARK-MASQ"] = ["-j MARK --or-mark \(mark)"]
        self["nat", "KUBE-POSTROUTING"] = [
            "-m mark ! --mark \(mark)/\(mark) -j RETURN",
            // Cleared first: the packet may be forwarded again (a tunnel) and must not be masqueraded twice.
            "-j MARK --xor-mark \(mark)",
            "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE",
        ]
    }

    private subscript(table: String, chain: String) -> [String] {
        get { table == "nat" ? ruleset.nat.chains[chain] ?? [] : ruleset.filter.chains[chain] ?? [] }
        set {
            if table == "nat" { ruleset.nat.chains[chain] = newValue } else { ruleset.filter.chains[chain] = newValue }
        }
    }

    private mutating func append(_ table: String, _ chain: String, _ rule: String) { self[table, chain].append(rule) }

    mutating func add(_ model: ProxyModel) {
        // Which balancer each ClusterIP port got, so its NodePort can share it when it balances the same way.
        var clusterBalancers: [String: (chain: String, destination: Destination)] = [:]
        for (address, destination) in model.clusterIPs.sorted(by: { $0.key < $1.key }) {
            let name = model.clusterIPNames[address] ?? "\(address.address):\(address.port)"
            let match = "-d \(address.address)/32 -p \(address.proto)"
            let port = "-m \(address.proto) --dport \(address.port)"
            switch destination {
            case .balance(let backends, let affinity, let masquerade):
                let chain = ChainName.service(name, address.proto)
                append("nat", "KUBE-SERVICES", "\(match) \(comment("\(name) cluster IP")) \(port) -j \(chain)")
                var rules: [String] = []
                switch masquerade {
                case .outsideClusterCIDR:
                    rules.append("! -s \(clusterCIDR) \(match) \(comment("\(name) cluster IP")) \(port) -j KUBE-MARK-MASQ")
                case .always: rules.append("\(match) \(comment("\(name) cluster IP")) \(port) -j KUBE-MARK-MASQ")
                case .never: break
                }
                self["nat", chain] = rules + balance(name, address.proto, backends, affinity: affinity)
                clusterBalancers["\(name)/\(address.proto)"] = (chain, destination)
            case .reject:
                append("filter", "KUBE-SERVICES", "\(match) \(comment("\(name) has no endpoints")) \(port) \(Self.reject)")
            case .drop:
                append("filter", "KUBE-SERVICES", "\(match) \(comment("\(name) has no local endpoints")) \(port) -j DROP")
            }
        }
        for (key, destination) in model.nodePorts.sorted(by: { $0.key < $1.key }) {
            let name = model.nodePortNames[key] ?? "node port \(key.port)"
            let port = "-p \(key.proto) \(comment(name)) -m \(key.proto) --dport \(key.port)"
            switch destination {
            case .balance(let backends, let affinity, let masquerade):
                let external = ChainName.external(name, key.proto)
                append("nat", "KUBE-NODEPORTS", "\(port) -j \(external)")
                let balancer: String
                if let shared = clusterBalancers["\(name)/\(key.proto)"], Self.sameBalance(shared.destination, destination) {
                    balancer = shared.chain
                } else {
                    balancer = ChainName.local(name, key.proto)
                    self["nat", balancer] = balance(name, key.proto, backends, affinity: affinity)
                }
                var rules: [String] = []
                if masquerade != .never {
                    rules.append("\(comment("masquerade traffic for \(name) external destinations")) -j KUBE-MARK-MASQ")
                }
                self["nat", external] = rules + ["-j \(balancer)"]
            case .reject:
                append("filter", "KUBE-EXTERNAL-SERVICES", "-m addrtype --dst-type LOCAL \(port) \(Self.reject)")
            case .drop:
                append("filter", "KUBE-EXTERNAL-SERVICES", "-m addrtype --dst-type LOCAL \(port) -j DROP")
            }
        }
        // Last, so a ClusterIP rule always wins; loopback excluded as nftables' (DNAT there needs route_localnet).
        append("nat", "KUBE-SERVICES",
               "\(comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain")) "
                   + "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS")
    }

    /// A balancer's rules, and each endpoint's chain: remembered endpoints first
    /// (ClientIP affinity), then endpoint i of n taken with probability 1/(n-i), so
    /// each is picked 1/n of the time, the last one unconditionally.
    private mutating func balance(_ name: String, _ proto: L4Protocol, _ backends: [Backend], affinity: Int32?) -> [String] {
        var rules: [String] = []
        let endpoints = backends.map { (backend: $0, chain: ChainName.endpoint(name, proto, $0)) }
        for (backend, chain) in endpoints {
            var rules: [String] = []
            rules.append("-s \(backend.address)/32 \(comment(name)) -j KUBE-MARK-MASQ")
            let remember = affinity == nil ? "" : " -m recent --name \(chain) --set --rsource"
            rules.append("-p \(proto) \(comment(name))\(remember) -m \(proto) -j DNAT --to-destination \(backend)")
            self["nat", chain] = rules
        }
        if let affinity {
            for (backend, chain) in endpoints {
                rules.append("\(comment("\(name) -> \(backend)")) -m recent --name \(chain) --rcheck --seconds \(affinity) --reap -j \(chain)")
            }
        }
        for (index, (backend, chain)) in endpoints.enumerated() {
            let remaining = endpoints.count - index
            let pick = remaining > 1
                ? " -m statistic --mode random --probability \(String(format: "%.10f", 1.0 / Double(remaining)))" : ""
            rules.append("\(comment("\(name) -> \(backend)"))\(pick) -j \(chain)")
        }
        return rules
    }

    private func comment(_ text: String) -> String { "-m comment --comment \"\(text)\"" }

    static let reject = "-j REJECT --reject-with icmp-port-unreachable"

    /// Whether two destinations pick the same endpoints the same way (masquerade aside).
    private static func sameBalance(_ a: Destination, _ b: Destination) -> Bool {
        guard case .balance(let backendsA, let affinityA, _) = a, case .balance(let backendsB, let affinityB, _) = b else {
            return false
        }
        return backendsA == backendsB && affinityA == affinityB
    }
}
