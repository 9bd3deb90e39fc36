import Synchronization

/// Programs KUBE-like chains in the nat and filter tables through
/// `iptables-restore --noflush`: one restore per sync, each table's section
/// applied atomically, and only Skiff's own chains (plus the jumps into them from
/// the built-in chains) touched.
///
/// A full sync reads both tables with iptables-save, rewrites every chain of
/// Skiff's, deletes per-Service chains no longer wanted and inserts missing jumps
/// (which also repairs hand edits); a partial sync rewrites only the chains that
/// changed and adds or deletes single rules in the dispatch chains.
public final class IPTablesBackend: ProxyBackend {
    private let runner: any IPTablesRunner
    private let clusterCIDR: IPCIDR
    private let egressMasquerade: Bool
    private let applied = Mutex<IPTablesRuleset?>(nil)
    private let fragments = Mutex(IPTablesFragmentCache())

    /// `egressMasquerade`: masquerade traffic from the cluster CIDR to anywhere
    /// outside it (pods reaching node addresses and beyond), as flannel does.
    public init(runner: any IPTablesRunner, clusterCIDR: IPCIDR, egressMasquerade: Bool = true) {
        self.runner = runner
        self.clusterCIDR = clusterCIDR
        self.egressMasquerade = egressMasquerade
    }

    /// The ruleset the kernel holds since the last successful sync (nil before it).
    public var appliedRuleset: IPTablesRuleset? { applied.withLock { $0 } }

    public var family: IPFamily { clusterCIDR.family }

    public func invalidate() { applied.withLock { $0 = nil } }

    /// The ruleset this backend programs for `model` (unchanged destinations' rules
    /// come from the previous call's).
    public func ruleset(for model: ProxyModel) -> IPTablesRuleset {
        var cache = fragments.withLock { $0 }
        let ruleset = IPTablesRuleset(model: model, clusterCIDR: clusterCIDR, egressMasquerade: egressMasquerade, cache: &cache)
        fragments.withLock { $0 = cache }
        return ruleset
    }

    /// (`changes` are not used: the comparison is per chain, and unchanged
    /// Services' chains are reused from the previous sync's.)
    public func apply(_ model: ProxyModel, full: Bool, changes: ModelChanges?) async throws(ProxyError) -> SyncReport {
        let desired = ruleset(for: model)
        let previous = applied.withLock { $0 }
        let script: RestoreScript
        var diffSeconds = 0.0
        if let previous, !full {
            let start = ContinuousClock.now
            script = RestoreScript.partial(from: previous, to: desired)
            diffSeconds = (ContinuousClock.now - start).seconds
            if script.isEmpty {
                return SyncReport(full: false, messages: 0, bytes: 0, elementChanges: 0, diffSeconds: diffSeconds, size: desired.size)
            }
        } else {
            var existing: [String: SavedTable] = [:]
            do {
                for table in RestoreScript.tables {
                    existing[table] = SavedTable(parsing: try await runner.save(table: table), table: table)
                }
            } catch {
                invalidate()
                throw error
            }
            script = RestoreScript.full(desired, existing: existing)
        }
        do {
            try await runner.restore(script.text)
        } catch {
            // What the kernel holds is now unknown: the next sync rewrites it all.
            invalidate()
            throw error
        }
        applied.withLock { $0 = desired }
        return SyncReport(
            full: previous == nil || full, messages: 1, bytes: script.text.utf8.count, elementChanges: script.ruleChanges,
            diffSeconds: diffSeconds, size: desired.size)
    }
}
