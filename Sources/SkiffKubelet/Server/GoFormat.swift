/// Go's formatting verbs that upstream's messages use.
enum GoFormat {
    /// `%q`: Swift's escaping agrees with Go's for quotes, backslashes and the usual
    /// control characters, which is all a name or query value can bring.
    static func quoted(_ text: String) -> String { text.debugDescription }
}
