/// A pod's DNS settings, worked out as the kubelet does from its `dnsPolicy`, its
/// `dnsConfig`, the cluster's DNS service and the node's resolv.conf.
public struct PodDNS: Sendable, Hashable, Codable {
    /// Kubernetes' `dnsPolicy`.
    public enum Policy: String, Sendable, Hashable, Codable {
        case clusterFirst = "ClusterFirst"
        case clusterFirstWithHostNet = "ClusterFirstWithHostNet"
        case `default` = "Default"
        case none = "None"
    }

    /// The pod's `dnsConfig`, merged over what the policy gives.
    public struct Config: Sendable, Hashable, Codable {
        public var nameservers: [String]
        public var searches: [String]
        /// `name` or `name:value` (`ndots:2`, `edns0`).
        public var options: [String]
        public init(nameservers: [String] = [], searches: [String] = [], options: [String] = []) {
            self.nameservers = nameservers
            self.searches = searches
            self.options = options
        }
    }

    /// The cluster's side: the DNS Service's addresses and the cluster domain. No
    /// addresses means no cluster DNS yet, so ClusterFirst falls back to Default.
    public struct Cluster: Sendable, Hashable, Codable {
        public var nameservers: [String]
        public var domain: String
        public init(nameservers: [String] = [], domain: String = "cluster.local") {
            self.nameservers = nameservers
            self.domain = domain
        }
    }

    public var nameservers: [String]
    public var searches: [String]
    public var options: [String]

    /// glibc reads at most three nameservers; the kubelet keeps the first three.
    static let maxNameservers = 3
    /// The kubelet's limit on search domains (since 1.28: 32).
    static let maxSearches = 32

    /// The kubelet's resolution: ClusterFirst gives the cluster DNS with the pod's
    /// namespace search path, then the node's search domains, and `ndots:5`; Default
    /// gives the node's file; None gives only `config`. A hostNetwork pod's ClusterFirst
    /// is Default, unless it asked for ClusterFirstWithHostNet.
    public init(policy: Policy, config: Config?, cluster: Cluster, node: ResolvConf, podNamespace: String, hostNetwork: Bool) {
        var effective = policy
        if policy == .clusterFirst && hostNetwork { effective = .default }
        if (effective == .clusterFirst || effective == .clusterFirstWithHostNet) && cluster.nameservers.isEmpty { effective = .default }
        switch effective {
        case .clusterFirst, .clusterFirstWithHostNet:
            nameservers = cluster.nameservers
            let domain = cluster.domain
            searches = ["\(podNamespace).svc.\(domain)", "svc.\(domain)", domain] + node.searches
            options = ["ndots:5"]
        case .default:
            nameservers = node.nameservers
            searches = node.searches
            options = node.options
        case .none:
            nameservers = []
            searches = []
            options = []
        }
        if let config {
            nameservers = Self.unique(nameservers + config.nameservers)
            searches = Self.unique(searches + config.searches)
            options = Self.merge(options, config.options)
        }
        nameservers = Array(nameservers.prefix(Self.maxNameservers))
        searches = Array(Self.unique(searches).prefix(Self.maxSearches))
    }

    /// The pod's /etc/resolv.conf.
    public var resolvConf: String {
        var lines = nameservers.map { "nameserver \($0)" }
        if !searches.isEmpty { lines.append("search \(searches.joined(separator: " "))") }
        if !options.isEmpty { lines.append("options \(options.joined(separator: " "))") }
        return lines.map { $0 + "\n" }.joined()
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }

    /// Options by name: a pod's `ndots:2` replaces the policy's `ndots:5`, in place.
    private static func merge(_ base: [String], _ overrides: [String]) -> [String] {
        func name(_ option: String) -> Substring { option.prefix { $0 != ":" } }
        var merged = base
        for option in overrides {
            if let index = merged.firstIndex(where: { name($0) == name(option) }) { merged[index] = option } else { merged.append(option) }
        }
        return merged
    }
}

/// The parts of a resolv.conf a pod inherits: nameservers, search domains, options.
public struct ResolvConf: Sendable, Hashable, Codable {
    public var nameservers: [String]
    public var searches: [String]
    public var options: [String]

    public init(nameservers: [String] = [], searches: [String] = [], options: [String] = []) {
        self.nameservers = nameservers
        self.searches = searches
        self.options = options
    }

    /// Parses as glibc and the kubelet do: `#` and `;` start comments, the last
    /// `search` (or `domain`) line wins, options accumulate.
    public init(parsing text: String) {
        self.init()
        for line in text.split(whereSeparator: \.isNewline) {
            let content = line.prefix { $0 != "#" && $0 != ";" }
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = fields.first else { continue }
            let values = Array(fields.dropFirst())
            switch keyword {
            case "nameserver": if let server = values.first { nameservers.append(server) }
            case "search", "domain": searches = values
            case "options": options += values
            default: continue
            }
        }
    }

    /// The node's nameservers a pod in its own network namespace can reach: a
    /// loopback resolver (systemd-resolved's 127.0.0.53, a local dnsmasq) answers on
    /// the node's loopback, which is not the pod's.
    public var reachableFromPods: ResolvConf {
        var copy = self
        copy.nameservers = nameservers.filter { !$0.hasPrefix("127.") && $0 != "::1" }
        return copy
    }
}
