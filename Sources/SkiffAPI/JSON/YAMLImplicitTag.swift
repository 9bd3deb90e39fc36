/// The YAML 1.1 tag of an untagged plain scalar — null, bool, int, float or str — by
/// the same rules as Yams' default resolver (PyYAML's), matched by hand.
///
/// Yams matches them with NSRegularExpression, which loads ICU and its data the first
/// time any YAML is read: reading a kubeconfig kept 2.5 MB of ICU resident in every
/// agent. The alternatives below follow Yams' patterns one for one.
enum YAMLImplicitTag: Equatable {
    case null, bool, int, float, str

    init(_ text: String) {
        let bytes = Array(text.utf8)
        // Yams tries bool, int, float, merge, null, timestamp, value in order; only these
        // tags matter here (merge keys, timestamps and "=" read as strings).
        if Self.bools.contains(text) { self = .bool }
        else if Self.isInt(bytes[...]) { self = .int }
        else if Self.isFloat(bytes[...]) { self = .float }
        else if Self.nulls.contains(text) { self = .null }
        else { self = .str }
    }

    private static let bools: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]
    private static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]

    // MARK: int

    /// `[-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
    /// | [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`
    private static func isInt(_ text: ArraySlice<UInt8>) -> Bool {
        let body = dropSign(text)
        if let rest = dropPrefix("0b", body) { return !rest.isEmpty && rest.allSatisfy { $0 == zero || $0 == zero + 1 || $0 == underscore } }
        if let rest = dropPrefix("0x", body) { return !rest.isEmpty && rest.allSatisfy { isHexDigit($0) || $0 == underscore } }
        if body.first == zero {
            if body.count == 1 { return true }
            var rest = body.dropFirst()
            if rest.first == UInt8(ascii: "o") { rest = rest.dropFirst() }
            return !rest.isEmpty && rest.allSatisfy { (zero...zero + 7).contains($0) || $0 == underscore }
        }
        guard let first = body.first, (zero + 1...zero + 9).contains(first) else { return false }
        let head = body.prefix { isDigit($0) || $0 == underscore }
        if head.count == body.count { return true }
        return isSexagesimalTail(body[head.endIndex...], allowFraction: false)
    }

    // MARK: float

    /// `[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)? | \.[0-9_]+([eE][-+][0-9]+)?
    /// | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)`
    private static func isFloat(_ text: ArraySlice<UInt8>) -> Bool {
        if ["nan", "NaN", "NAN"].contains(where: { dropPrefix("." + $0, text)?.isEmpty == true }) { return true }
        let body = dropSign(text)
        if ["inf", "Inf", "INF"].contains(where: { dropPrefix("." + $0, body)?.isEmpty == true }) { return true }
        if text.first == UInt8(ascii: ".") {
            // No sign before a leading point, and the exponent's sign is required.
            let digits = text.dropFirst().prefix { isDigit($0) || $0 == underscore }
            guard !digits.isEmpty else { return false }
            return isExponent(text[digits.endIndex...], signRequired: true)
        }
        guard let first = body.first, isDigit(first) else { return false }
        let head = body.prefix { isDigit($0) || $0 == underscore }
        var rest = body[head.endIndex...]
        if rest.first == colon { return isSexagesimalTail(rest, allowFraction: true) }
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst().drop { isDigit($0) || $0 == underscore }
        }
        return isExponent(rest, signRequired: false)
    }

    /// Empty, or `[eE]` then a sign (optional unless `signRequired`) then digits.
    private static func isExponent(_ text: ArraySlice<UInt8>, signRequired: Bool) -> Bool {
        guard let e = text.first else { return true }
        guard e == UInt8(ascii: "e") || e == UInt8(ascii: "E") else { return false }
        var rest = text.dropFirst()
        if rest.first == plus || rest.first == minus { rest = rest.dropFirst() } else if signRequired { return false }
        return !rest.isEmpty && rest.allSatisfy(isDigit)
    }

    /// `(:[0-5]?[0-9])+`, then for a float `\.[0-9_]*`.
    private static func isSexagesimalTail(_ text: ArraySlice<UInt8>, allowFraction: Bool) -> Bool {
        var rest = text
        var groups = 0
        while rest.first == colon {
            let digits = rest.dropFirst().prefix(while: isDigit)
            // [0-5]?[0-9]: one digit, or two with the first at most 5.
            guard digits.count == 1 || (digits.count == 2 && digits.first! <= zero + 5) else { return false }
            rest = rest[digits.endIndex...]
            groups += 1
        }
        guard groups > 0 else { return false }
        if !allowFraction { return rest.isEmpty }
        guard rest.first == UInt8(ascii: ".") else { return false }
        return rest.dropFirst().allSatisfy { isDigit($0) || $0 == underscore }
    }

    // MARK: bytes

    private static let zero = UInt8(ascii: "0"), underscore = UInt8(ascii: "_"), colon = UInt8(ascii: ":")
    private static let plus = UInt8(ascii: "+"), minus = UInt8(ascii: "-")

    private static func isDigit(_ byte: UInt8) -> Bool { (zero...zero + 9).contains(byte) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private static func dropSign(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        text.first == plus || text.first == minus ? text.dropFirst() : text
    }

    private static func dropPrefix(_ prefix: String, _ text: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        text.starts(with: prefix.utf8) ? text.dropFirst(prefix.utf8.count) : nil
    }
}
