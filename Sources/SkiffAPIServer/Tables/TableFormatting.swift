import SkiffAPI

/// Cell formats several printers share, as upstream's helpers write them.
enum TableFormatting {
    /// labels.FormatLabels: `k=v` pairs sorted by key and joined by commas, "<none>" if empty.
    static func labels(_ labels: [String: String]?) -> String {
        let pairs = (labels ?? [:]).sorted { bytewiseLess($0.key, $1.key) }.map { "\($0.key)=\($0.value)" }
        return pairs.isEmpty ? "<none>" : pairs.joined(separator: ",")
    }

    /// metav1.FormatLabelSelector: the selector's string form, "<none>" for one that is
    /// nil or empty, "<error>" for one that does not parse.
    static func labelSelector(_ selector: LabelSelector?) -> String {
        guard let parsed = try? Labels.Selector(selector) else { return "<error>" }
        let text = parsed.description
        return text.isEmpty ? "<none>" : text
    }

    /// layoutContainerCells: the containers' names and images, each comma-separated.
    static func containerCells(_ containers: [Container]) -> (names: JSONValue, images: JSONValue) {
        (
            .string(containers.map(\.name).joined(separator: ",")),
            .string(containers.map { $0.image ?? "" }.joined(separator: ","))
        )
    }

    /// listWithMoreString: up to `shown` entries, then " + N more...", "<unset>" if none.
    static func listWithMore(_ entries: [String], shown: Int = 3) -> String {
        let text = entries.prefix(shown).joined(separator: ",")
        if entries.count > shown { return "\(text) + \(entries.count - shown) more..." }
        return text.isEmpty ? "<unset>" : text
    }

    /// printBoolPtr: "True", "False" or "<unset>".
    static func bool(_ value: Bool?) -> String {
        guard let value else { return "<unset>" }
        return value ? "True" : "False"
    }

    /// The value, or `fallback` when it is nil or empty (upstream's `if x == "" { x = "<none>" }`).
    static func nonEmpty(_ value: String?, or fallback: String) -> String {
        guard let value, !value.isEmpty else { return fallback }
        return value
    }

    /// Go's string order: bytewise on UTF-8, as sort.Strings and sets.List sort.
    static func bytewiseLess(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// Distinct strings in Go's order (sets.NewString(...).List()).
    static func sortedSet(_ values: [String]) -> [String] {
        Set(values).sorted(by: bytewiseLess)
    }
}
