/// What a request path names, as upstream's RequestInfoFactory reads it:
/// `/api/v1/namespaces/default/pods/web/status` is group "", version "v1",
/// namespace "default", resource "pods", name "web", subresource "status".
struct ResourcePath: Hashable, Sendable {
    var group: String
    var version: String
    var namespace: String?
    var resource: String
    var name: String?
    var subresource: String?
    /// The deprecated `/api/v1/watch/…` form: a watch whatever the query says.
    var watchPrefix = false

    /// `apps/v1`, or `v1` for the core group.
    var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// Subresources of namespaces that are not resources inside a namespace.
    private static let namespaceSubresources: Set<String> = ["status", "finalize"]

    /// Parses the path segments of a resource request; nil when the path is not
    /// one (`/api`, `/apis/apps`, `/healthz`, …), which the router serves itself.
    init?(segments: [String]) {
        var parts = segments[...]
        switch parts.first {
        case "api":
            guard parts.count >= 3 else { return nil }
            group = ""
            version = parts[parts.startIndex + 1]
            parts = parts.dropFirst(2)
        case "apis":
            guard parts.count >= 4 else { return nil }
            group = parts[parts.startIndex + 1]
            version = parts[parts.startIndex + 2]
            parts = parts.dropFirst(3)
        default:
            return nil
        }
        if parts.first == "watch" {
            watchPrefix = true
            parts = parts.dropFirst()
        }
        guard let first = parts.first, !first.isEmpty else { return nil }
        if first == "namespaces", parts.count > 1 {
            let namespace = parts[parts.startIndex + 1]
            if parts.count > 2, !Self.namespaceSubresources.contains(parts[parts.startIndex + 2]) {
                self.namespace = namespace
                parts = parts.dropFirst(2)
            }
        }
        let rest = Array(parts)
        guard rest.count <= 3, rest.allSatisfy({ !$0.isEmpty }) else { return nil }
        resource = rest[0]
        name = rest.count > 1 ? rest[1] : nil
        subresource = rest.count > 2 ? rest[2] : nil
        if watchPrefix, subresource != nil { return nil }
    }
}
