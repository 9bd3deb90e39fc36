/// Which kernel interface the proxy programs, as `--proxy-mode` names it.
public enum ProxyMode: String, CaseIterable, Sendable {
    /// The map-driven `ip skiff` table, one netlink transaction per sync (the default).
    case nftables
    /// KUBE-like chains in the nat and filter tables through `iptables-restore`.
    case iptables
}

/// What programs a node's rules for a ``ProxyModel``. The ``Proxier`` builds the
/// model; a backend turns it into one atomic change of the kernel's rules.
public protocol ProxyBackend: Sendable {
    /// The family whose Services and endpoints this backend programs; a dual-stack
    /// node has one backend per family.
    var family: IPFamily { get }

    /// Brings the kernel's rules to `model`: everything when `full` or when nothing
    /// is known to be applied, else only what changed since the last successful sync.
    /// `changes`, when known, are how `model` differs from the last applied one
    /// (the proxier keeps them as it updates the model): a backend may program just
    /// those; nil means compare everything. A failure leaves the backend knowing
    /// nothing, so the next sync is a full one.
    func apply(_ model: ProxyModel, full: Bool, changes: ModelChanges?) async throws(ProxyError) -> SyncReport

    /// Forgets what was applied, so the next ``apply(_:full:changes:)`` is a full one.
    func invalidate()
}

extension ProxyBackend {
    /// ``apply(_:full:changes:)`` comparing everything.
    public func apply(_ model: ProxyModel, full: Bool) async throws(ProxyError) -> SyncReport {
        try await apply(model, full: full, changes: nil)
    }
}

/// How big the programmed ruleset is, for metrics.
public struct RulesetSize: Hashable, Sendable {
    /// The backend that programmed it (which metric names apply).
    public var mode: ProxyMode
    /// Chains that exist because of Services: nftables' shape chains, iptables'
    /// per-Service and per-endpoint chains.
    public var chains: Int
    /// nftables: elements per set; iptables: rules per table.
    public var counts: [String: Int]

    public init(mode: ProxyMode, chains: Int = 0, counts: [String: Int] = [:]) {
        self.mode = mode
        self.chains = chains
        self.counts = counts
    }
}
