import SkiffAPI
import SkiffClient

/// One namespaced resource the server announces in discovery, and the verbs it takes.
struct DiscoveredResource: Hashable, Sendable {
    let group: String
    let version: String
    let resource: String
    let verbs: Set<String>

    /// The collection's path in a namespace.
    func path(namespace: String) -> String {
        let base = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        return "\(base)/namespaces/\(namespace)/\(resource)"
    }

    /// schema.GroupVersionResource's String(): "/v1, Resource=pods", "apps/v1, Resource=deployments".
    var description: String { "\(group)/\(version), Resource=\(resource)" }
}

/// What discovery found: the resources, and the group-versions that failed.
struct Discovered: Sendable {
    var resources: [DiscoveredResource] = []
    /// group/version → error message, as ErrGroupDiscoveryFailed lists them.
    var failures: [String: String] = [:]

    /// ErrGroupDiscoveryFailed's text.
    var failureMessage: String? {
        guard !failures.isEmpty else { return nil }
        let listed = failures.keys.sorted().map { "\($0): \(failures[$0] ?? "")" }.joined(separator: ", ")
        return "unable to retrieve the complete list of server APIs: \(listed)"
    }
}

/// The namespace deleter's view of the API: discovery, and list and delete of
/// any resource by path, reading only object metadata (as upstream's metadata
/// client does), so kinds this build has no Swift type for are deleted too.
struct NamespacedResources: Sendable {
    let client: APIClient

    /// ServerPreferredNamespacedResources filtered to what can be deleted: the
    /// preferred version of each group, namespaced resources (not subresources)
    /// with the `delete` verb.
    func discover() async throws -> Discovered {
        var discovered = Discovered()
        var groupVersions: [String] = []
        let core = try await decode(APIVersions.self, client.request(.GET, "/api"))
        groupVersions += core.versions
        let groups = try await decode(APIGroupList.self, client.request(.GET, "/apis"))
        for group in groups.groups {
            if let preferred = group.preferredVersion ?? group.versions.first { groupVersions.append(preferred.groupVersion) }
        }
        for groupVersion in groupVersions {
            let path = groupVersion.contains("/") ? "/apis/\(groupVersion)" : "/api/\(groupVersion)"
            do {
                let list = try decode(APIResourceList.self, try await client.request(.GET, path))
                let parts = groupVersion.split(separator: "/", maxSplits: 1).map(String.init)
                let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
                for resource in list.resources where resource.namespaced && !resource.name.contains("/") {
                    guard resource.verbs.contains("delete") else { continue }
                    discovered.resources.append(
                        DiscoveredResource(group: group, version: version, resource: resource.name, verbs: Set(resource.verbs)))
                }
            } catch {
                discovered.failures[groupVersion] = "\(error.message)"
            }
        }
        return discovered
    }

    /// The metadata of every object of `resource` in `namespace`.
    func list(_ resource: DiscoveredResource, namespace: String) async throws(ClientError) -> [ObjectMeta] {
        try decode(MetadataList.self, try await client.request(.GET, resource.path(namespace: namespace))).items.map(\.metadata)
    }

    /// DELETE on the collection, background propagation (the namespace deleter
    /// wants no orphan finalizers put on what it deletes).
    func deleteCollection(_ resource: DiscoveredResource, namespace: String) async throws(ClientError) {
        try await client.request(.DELETE, resource.path(namespace: namespace), body: Self.background)
    }

    func delete(_ resource: DiscoveredResource, namespace: String, name: String) async throws(ClientError) {
        try await client.request(.DELETE, resource.path(namespace: namespace) + "/" + name, body: Self.background)
    }

    private static let background: [UInt8] = Array(
        #"{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}"#.utf8)

    private struct MetadataList: Decodable {
        struct Item: Decodable { var metadata = ObjectMeta() }
        var items: [Item] = []
    }

    private func decode<T: Decodable>(_ type: T.Type, _ reply: HTTPReply) throws(ClientError) -> T {
        do { return try JSONCodec.decode(type, from: reply.body) } catch {
            throw ClientError(code: reply.status, reason: .undecodable, message: "\(T.self): \(error)")
        }
    }
}
