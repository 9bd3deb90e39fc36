/// The iptables-restore input (for `--noflush`: only the chains named in it
/// change) that takes the kernel to a desired ``IPTablesRuleset``.
///
/// Under `--noflush` a `:CHAIN - [0:0]` line creates the chain or flushes an
/// existing one; `-A` appends, `-D` deletes the rule that matches exactly, `-I`
/// inserts at the top, `-X` deletes an (empty, unreferenced) chain. Each table is
/// one COMMIT: the kernel swaps it whole.
struct RestoreScript: Sendable {
    private(set) var text = ""
    /// How many rules it adds, deletes or inserts.
    private(set) var ruleChanges = 0

    var isEmpty: Bool { text.isEmpty }

    /// The jumps from the built-in chains into Skiff's: (table, built-in chain, rule).
    /// They are inserted once, when a full sync finds them missing.
    static let jumps: [(table: String, chain: String, rule: String)] = [
        ("nat", "PREROUTING", "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
        ("nat", "OUTPUT", "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
        ("nat", "POSTROUTING", "-m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING"),
        ("filter", "INPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
        ("filter", "INPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes externally-visible service portals\" -j KUBE-EXTERNAL-SERVICES"),
        ("filter", "FORWARD", "-m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD"),
        ("filter", "FORWARD", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
        ("filter", "OUTPUT", "-m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"),
    ]

    static let tables = ["filter", "nat"]

    /// Rewrites every chain of Skiff's, deletes per-Service chains the kernel has
    /// (`existing`, from iptables-save) but `desired` does not, and inserts missing jumps.
    static func full(_ desired: IPTablesRuleset, existing: [String: SavedTable]) -> RestoreScript {
        var script = RestoreScript()
        for name in tables {
            let table = desired.table(name)
            let saved = existing[name] ?? SavedTable()
            let stale = saved.chains.filter { ChainName.isPerService($0) && table.chains[$0] == nil }.sorted()
            let chains = orderedChains(table)
            script.line("*\(name)")
            for chain in chains + stale { script.line(":\(chain) - [0:0]") }
            for chain in chains {
                for rule in table.chains[chain] ?? [] { script.rule("-A \(chain) \(rule)") }
            }
            for chain in stale { script.line("-X \(chain)") }
            // Inserted in reverse, so that a chain with two jumps ends up with them in the listed order.
            for jump in jumps.reversed() where jump.table == name && !saved.jumps(from: jump.chain, to: target(jump.rule)) {
                script.rule("-I \(jump.chain) \(jump.rule)")
            }
            script.line("COMMIT")
        }
        return script
    }

    /// Only what changed since `applied`: rewritten chains whose rules differ, new
    /// chains, removed chains deleted, and single rules deleted or appended in the
    /// dispatch chains (rewriting KUBE-SERVICES for one Service would cost a rule per Service).
    static func partial(from applied: IPTablesRuleset, to desired: IPTablesRuleset) -> RestoreScript {
        var script = RestoreScript()
        for name in tables {
            let before = applied.table(name)
            let after = desired.table(name)
            let dispatch = IPTablesRuleset.dispatchChains[name] ?? []
            let rewritten = after.chains.keys.filter { !dispatch.contains($0) && before.chains[$0] != after.chains[$0] }.sorted()
            let removed = before.chains.keys.filter { after.chains[$0] == nil }.sorted()
            var deletions: [String] = []
            var additions: [String] = []
            for chain in dispatch.sorted() {
                let old = Set(before.chains[chain] ?? [])
                let new = Set(after.chains[chain] ?? [])
                deletions += (before.chains[chain] ?? []).filter { !new.contains($0) }.map { "-D \(chain) \($0)" }
                additions += (after.chains[chain] ?? []).filter { !old.contains($0) }.map { "-A \(chain) \($0)" }
            }
            guard !rewritten.isEmpty || !removed.isEmpty || !deletions.isEmpty || !additions.isEmpty else { continue }
            script.line("*\(name)")
            for chain in rewritten + removed { script.line(":\(chain) - [0:0]") }
            // Rules that point at removed chains go before the chains do.
            for rule in deletions { script.rule(rule) }
            for chain in rewritten {
                for rule in after.chains[chain] ?? [] { script.rule("-A \(chain) \(rule)") }
            }
            for rule in additions { script.rule(rule) }
            for chain in removed { script.line("-X \(chain)") }
            script.line("COMMIT")
        }
        return script
    }

    /// Fixed chains first (as listed), then per-Service ones by name.
    private static func orderedChains(_ table: IPTablesTable) -> [String] {
        let fixed = IPTablesRuleset.fixedChains[table.name] ?? []
        return fixed + table.chains.keys.filter { !fixed.contains($0) }.sorted()
    }

    private static func target(_ rule: String) -> String {
        String(rule.split(separator: " ").last ?? "")
    }

    private mutating func line(_ line: String) {
        text += line
        text += "\n"
    }

    private mutating func rule(_ line: String) {
        self.line(line)
        ruleChanges += 1
    }
}
