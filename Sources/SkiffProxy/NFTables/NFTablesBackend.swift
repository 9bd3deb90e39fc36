import SkiffProcess
import Synchronization

/// What one sync sent.
public struct SyncReport: Sendable {
    public var full: Bool
    public var messages: Int
    public var bytes: Int
    public var elementChanges: Int
    /// Of the sync's time, how long comparing the desired state with the applied one took.
    public var diffSeconds: Double = 0
    /// The ruleset now programmed, for metrics (filled by ``ProxyBackend/apply(_:full:)``).
    public var size = RulesetSize(mode: .nftables)
}

/// Programs one family's `skiff` table (`ip skiff` for an IPv4 cluster CIDR,
/// `ip6 skiff` for an IPv6 one): each sync is one netlink batch, so the kernel
/// swaps the old ruleset for the new in one transaction.
///
/// A full sync rewrites everything (on start it deletes and recreates the table;
/// later ones flush and refill it, which repairs hand edits and removes stale
/// chains); a partial sync sends only what changed since the last applied state —
/// element changes, plus a chain when a new shape first appears.
public final class NFTablesBackend: ProxyBackend {
    private let transport: any NetfilterTransport
    private let rules: Rules
    private struct State {
        var applied: RulesetState?
        var sequence: UInt32 = 1
    }
    private let state = Mutex(State())

    /// The table's family is the cluster CIDR's. `egressMasquerade`: masquerade
    /// traffic from the cluster CIDR to anywhere outside it (pods reaching node
    /// addresses and beyond), as flannel does.
    public init(transport: any NetfilterTransport, clusterCIDR: IPCIDR, egressMasquerade: Bool = true) {
        self.transport = transport
        rules = Rules(clusterCIDR: clusterCIDR, egressMasquerade: egressMasquerade)
    }

    public var family: IPFamily { rules.family }

    /// Syncs run one at a time (the ``Proxier`` has one loop): a partial sync
    /// takes the applied state out while it changes it in place.
    public func apply(_ model: ProxyModel, full: Bool, changes: ModelChanges?) async throws(ProxyError) -> SyncReport {
        var report: SyncReport
        if !full, let changes, let partial = try sync(changes) {
            report = partial
        } else {
            report = try sync(RulesetState(model: model), full: full)
        }
        if let applied = state.withLock({ $0.applied }) {
            report.size = RulesetSize(
                mode: .nftables, chains: applied.shapes.count,
                counts: Dictionary(uniqueKeysWithValues: applied.elementCounts.map { ($0.key.rawValue, $0.value) }))
        }
        return report
    }

    /// The state the kernel holds since the last successful sync (nil before it).
    public var applied: RulesetState? { state.withLock { $0.applied } }

    /// Forgets the applied state, so the next ``sync(_:full:)`` is a full one.
    public func invalidate() { state.withLock { $0.applied = nil } }

    /// Brings the table from the applied state to that state changed by `changes`,
    /// sending only the difference, and changing the applied state in place (a copy
    /// of 50,000 elements would cost more than the rest). Nil when no state is
    /// applied: only a full sync can follow.
    public func sync(_ changes: ModelChanges) throws(ProxyError) -> SyncReport? {
        // Taken out, so that it is not shared and changes without a copy.
        guard var current = state.withLock({ state in
            defer { state.applied = nil }
            return state.applied
        }) else { return nil }
        let start = ContinuousClock.now
        let diff = current.apply(changes)
        let diffSeconds = (ContinuousClock.now - start).seconds
        var report = SyncReport(full: false, messages: 0, bytes: 0, elementChanges: diff.elementChanges, diffSeconds: diffSeconds)
        if !diff.isEmpty {
            var batch = NetlinkBatch(family: family, firstSequence: state.withLock { $0.sequence })
            partial(diff, into: &batch)
            (report.messages, report.bytes) = try send(&batch)
        }
        state.withLock { $0.applied = current }
        return report
    }

    /// Brings the table to `desired`: partially when a previous state was applied
    /// and `full` is false (comparing every destination), else fully.
    @discardableResult
    public func sync(_ desired: RulesetState, full: Bool = false) throws(ProxyError) -> SyncReport {
        var previous = state.withLock { $0.applied }
        var batch = NetlinkBatch(family: family, firstSequence: state.withLock { $0.sequence })
        var report: SyncReport
        if let applied = previous, !full {
            let start = ContinuousClock.now
            let diff = RulesetDiff(from: applied, to: desired)
            let diffSeconds = (ContinuousClock.now - start).seconds
            if diff.isEmpty { return SyncReport(full: false, messages: 0, bytes: 0, elementChanges: 0, diffSeconds: diffSeconds) }
            partial(diff, into: &batch)
            report = SyncReport(full: false, messages: 0, bytes: 0, elementChanges: diff.elementChanges, diffSeconds: diffSeconds)
        } else {
            self.full(desired, previous: previous, into: &batch)
            report = SyncReport(
                full: true, messages: 0, bytes: 0, elementChanges: desired.elements.values.reduce(0) { $0 + $1.count })
        }
        (report.messages, report.bytes) = try send(&batch)
        var nowApplied = desired
        // Chains a partial sync leaves behind are still in the kernel: the next full sync removes them.
        if !report.full, let previous { nowApplied.shapes.formUnion(previous.shapes) }
        previous = nil
        retire(state.withLock { state in
            defer { state.applied = nowApplied }
            return state.applied
        })
        return report
    }

    /// Sends one transaction; returns its message count (with the batch's end) and size.
    /// On failure what the kernel holds is unknown, so the next sync rewrites it all.
    private func send(_ batch: inout NetlinkBatch) throws(ProxyError) -> (messages: Int, bytes: Int) {
        let messages = batch.messageCount + 1
        let finished = batch.finish()
        state.withLock { $0.sequence &+= UInt32(finished.messageCount) }
        do {
            try transport.send(finished)
        } catch {
            invalidate()
            throw error
        }
        return (messages, finished.bytes.count)
    }

    /// Drops the state a sync replaced on a thread of its own: at 10,000 Services it
    /// holds 50,000 elements with array keys, whose freeing took most of a partial
    /// sync's time in a debug build, and the kernel has the new rules already.
    private func retire(_ old: consuming RulesetState?) {
        guard let old else { return }
        if !OwnThread.detach({ _ = old }) { _ = old }
    }

    /// The batch a full sync sends (for tests and the benchmark).
    func fullBatch(_ desired: RulesetState, previous: RulesetState?) -> NetlinkBatch {
        var batch = NetlinkBatch(family: family, firstSequence: 1)
        full(desired, previous: previous, into: &batch)
        return batch.finish()
    }

    private func full(_ desired: RulesetState, previous: RulesetState?, into batch: inout NetlinkBatch) {
        batch.addTable()
        if previous == nil {
            // Whatever an earlier proxy (or a hand) left goes, in the same transaction.
            batch.deleteTable()
            batch.addTable()
        }
        let shapes = desired.shapes.sorted()
        for chain in BaseChain.allCases { batch.addChain(chain.rawValue, hook: chain.hook) }
        for shape in shapes { batch.addChain(shape.chainName, hook: nil) }
        for set in NFTSet.allCases { batch.addSet(set) }
        if previous != nil {
            for set in NFTSet.allCases where set.isProgrammed { batch.flushSet(set) }
            for chain in BaseChain.allCases { batch.flushChain(chain.rawValue) }
            for shape in shapes { batch.flushChain(shape.chainName) }
            for stale in (previous?.shapes ?? []).subtracting(desired.shapes).sorted() {
                batch.flushChain(stale.chainName)
                batch.deleteChain(stale.chainName)
            }
        }
        for chain in BaseChain.allCases {
            for rule in rules.rules(chain) { batch.addRule(chain: chain.rawValue, rule) }
        }
        for shape in shapes {
            for rule in rules.rules(shape) { batch.addRule(chain: shape.chainName, rule) }
        }
        for set in NFTSet.allCases {
            guard let elements = desired.elements[set], !elements.isEmpty else { continue }
            batch.addElements(set, elements.map { ($0.key, $0.value) })
        }
    }

    private func partial(_ diff: RulesetDiff, into batch: inout NetlinkBatch) {
        for shape in diff.addedShapes {
            batch.addChain(shape.chainName, hook: nil)
            for rule in rules.rules(shape) { batch.addRule(chain: shape.chainName, rule) }
        }
        // Chains of shapes no longer used stay until the next full sync: removing a
        // chain costs a re-validation of the whole table, keeping one costs nothing.
        for set in NFTSet.allCases {
            if let keys = diff.deletions[set] { batch.deleteElements(set, keys) }
        }
        for set in NFTSet.allCases {
            if let elements = diff.additions[set] { batch.addElements(set, elements) }
        }
    }
}
