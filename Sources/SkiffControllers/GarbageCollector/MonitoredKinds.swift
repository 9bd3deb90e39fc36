import SkiffAPI
import SkiffClient

/// One kind the garbage collector watches and acts on: its coordinates and a
/// way to build its REST paths without knowing the type.
struct MonitoredKind: Sendable {
    let apiVersion: String
    let kind: String
    let namespaced: Bool
    /// The path of one object: `/apis/apps/v1/namespaces/ns/replicasets/web`.
    let path: @Sendable (_ namespace: String?, _ name: String) -> String

    init<T: APIObject>(_ type: T.Type) {
        apiVersion = T.apiVersion
        kind = T.kind
        namespaced = T.namespaced
        path = { namespace, name in T.path(namespace: T.namespaced ? namespace : nil, name: name) }
    }
}

/// The kinds the collector builds its graph from. Upstream discovers every
/// resource that supports list, watch and delete; Skiff's API server serves a fixed
/// set (``Scheme/objectTypes``), so the collector takes that set, less the kinds
/// that cannot be listed (Binding is create-only) and the kinds upstream ignores
/// (events, which are never owners and expire on their own).
enum MonitoredKinds {
    static let ignored: Set<String> = [Binding.kind, Event.kind]

    static let all: [MonitoredKind] = Scheme.objectTypes.filter { !ignored.contains($0.kind) }.map { MonitoredKind($0) }

    /// The kind an owner reference names, matched by group and kind so a reference
    /// written with another served version of the group still resolves (as the
    /// REST mapper resolves a group and kind).
    static func resolve(apiVersion: String, kind: String) -> MonitoredKind? {
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        return all.first { candidate in
            guard candidate.kind == kind else { return false }
            let candidateGroup = candidate.apiVersion.contains("/") ? String(candidate.apiVersion.split(separator: "/")[0]) : ""
            return candidateGroup == group
        }
    }
}
