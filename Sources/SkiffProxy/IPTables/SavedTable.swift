/// One table as `iptables-save -t TABLE` prints it: its chains and their rules.
struct SavedTable: Sendable {
    var chains: Set<String> = []
    /// Each chain's rules, as the arguments after `-A CHAIN`.
    var rules: [String: [String]] = [:]

    init() {}

    /// Reads iptables-save output; lines of other tables and comments are ignored,
    /// so an empty text (a table that does not exist yet) is an empty table.
    init(parsing text: String, table: String) {
        var inTable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("*") {
                inTable = line.dropFirst() == table
            } else if !inTable || line.hasPrefix("#") {
                continue
            } else if line.hasPrefix(":") {
                if let name = line.dropFirst().split(separator: " ").first { chains.insert(String(name)) }
            } else if line.hasPrefix("-A ") {
                let rest = line.dropFirst(3)
                guard let space = rest.firstIndex(of: " ") else { continue }
                rules[String(rest[..<space]), default: []].append(String(rest[rest.index(after: space)...]))
            }
        }
    }

    /// Whether `chain` has a rule jumping to `target` (however it is spelled otherwise).
    func jumps(from chain: String, to target: String) -> Bool {
        (rules[chain] ?? []).contains { $0.hasSuffix("-j \(target)") }
    }
}
