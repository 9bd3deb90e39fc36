/// A media type with its parameters, as `Accept` and `Content-Type` carry them:
/// `application/json;as=Table;v=v1;g=meta.k8s.io`.
struct MediaType: Hashable, Sendable {
    /// `type/subtype`, lowercased.
    var essence: String
    /// Parameters by lowercased name, values as sent (unquoted).
    var parameters: [String: String]

    init(essence: String, parameters: [String: String] = [:]) {
        self.essence = essence
        self.parameters = parameters
    }

    init(parsing text: Substring) {
        let parts = text.split(separator: ";")
        essence = parts.first.map { $0.trimmingSpaces.lowercased() } ?? ""
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            var value = pair[1].trimmingSpaces
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            parameters[pair[0].trimmingSpaces.lowercased()] = value
        }
        self.parameters = parameters
    }

    /// Every media type of an `Accept` header (or several), in the order sent; an
    /// absent or empty header accepts anything.
    static func accepted(_ headers: [String]) -> [MediaType] {
        let types = headers.flatMap { $0.split(separator: ",") }.map { MediaType(parsing: $0) }.filter {
            !$0.essence.isEmpty
        }
        return types.isEmpty ? [MediaType(essence: "*/*")] : types
    }

    /// Whether this type admits a JSON body (`application/json`, `application/*`, `*/*`).
    var acceptsJSON: Bool {
        ["application/json", "application/*", "*/*"].contains(essence)
    }

    /// The `as=` kind of a meta.k8s.io transformation (`Table`), when the
    /// group and version are ones this server produces.
    var metaTransformation: String? {
        guard essence == "application/json", let kind = parameters["as"] else { return nil }
        guard parameters["g"] == "meta.k8s.io", ["v1", "v1beta1"].contains(parameters["v"] ?? "") else { return nil }
        return kind
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
