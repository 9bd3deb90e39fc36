import SkiffAPI

/// The discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`)
/// for the kinds the registries serve, with upstream's short names, categories,
/// verbs and subresources, so kubectl resolves `po`, `deploy`, `all` and
/// `deployments/scale` as it does against kube-apiserver.
struct Discovery: Sendable {
    /// Upstream's short names and categories per resource.
    private static let shortNames: [String: [String]] = [
        "pods": ["po"], "nodes": ["no"], "namespaces": ["ns"], "services": ["svc"], "endpoints": ["ep"],
        "configmaps": ["cm"], "events": ["ev"], "serviceaccounts": ["sa"], "replicationcontrollers": ["rc"],
        "persistentvolumeclaims": ["pvc"], "deployments": ["deploy"], "replicasets": ["rs"], "daemonsets": ["ds"],
        "statefulsets": ["sts"], "cronjobs": ["cj"],
    ]
    private static let inCategoryAll: Set<String> = [
        "pods", "services", "replicationcontrollers", "deployments", "replicasets", "daemonsets", "statefulsets",
        "jobs", "cronjobs",
    ]
    static let objectVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// Resource lists by group-version, in the order groups are announced.
    let resourceLists: [APIResourceList]

    init(registries: [AnyResourceRegistry]) {
        var lists: [String: [APIResource]] = [:]
        var order: [String] = []
        for registry in registries {
            let type = registry.objectType
            if lists[type.apiVersion] == nil { order.append(type.apiVersion) }
            lists[type.apiVersion, default: []] += Self.resources(of: type, subresources: registry.subresources)
        }
        resourceLists = order.map { APIResourceList(groupVersion: $0, resources: lists[$0] ?? []) }
    }

    private static func resources(of type: any APIObject.Type, subresources: [String]) -> [APIResource] {
        let main = APIResource(
            name: type.resource, singularName: type.kind.lowercased(), namespaced: type.namespaced, kind: type.kind,
            verbs: objectVerbs, shortNames: shortNames[type.resource],
            categories: inCategoryAll.contains(type.resource) ? ["all"] : nil)
        var extras: [APIResource] = []
        if type == Pod.self {
            extras.append(
                APIResource(
                    name: "pods/eviction", namespaced: true, group: "policy", version: "v1", kind: "Eviction",
                    verbs: ["create"]))
            extras += podConnectResources
        }
        let served = subresources.map { subresource in
            let name = "\(type.resource)/\(subresource)"
            switch subresource {
            case "scale":
                return APIResource(
                    name: name, namespaced: type.namespaced, group: "autoscaling", version: "v1", kind: "Scale",
                    verbs: ["get", "patch", "update"])
            case "binding":
                return APIResource(name: name, namespaced: type.namespaced, kind: "Binding", verbs: ["create"])
            case "finalize":
                return APIResource(name: name, namespaced: type.namespaced, kind: type.kind, verbs: ["update"])
            default:
                return APIResource(
                    name: name, namespaced: type.namespaced, kind: type.kind, verbs: ["get", "patch", "update"])
            }
        }
        // Upstream lists a resource's subresources by name.
        return [main] + (served + extras).sorted { $0.name < $1.name }
    }

    /// The pod subresources the kubelet answers, as upstream announces them: log
    /// is read with GET (its kind is Pod upstream, whose LogREST says so); exec,
    /// attach and portforward are connect verbs, GET for WebSocket and POST for SPDY.
    private static let podConnectResources = [
        APIResource(name: "pods/attach", namespaced: true, kind: "PodAttachOptions", verbs: ["create", "get"]),
        APIResource(name: "pods/exec", namespaced: true, kind: "PodExecOptions", verbs: ["create", "get"]),
        APIResource(name: "pods/log", namespaced: true, kind: "Pod", verbs: ["get"]),
        APIResource(
            name: "pods/portforward", namespaced: true, kind: "PodPortForwardOptions", verbs: ["create", "get"]),
    ]

    /// `GET /api`.
    func coreVersions(serverAddress: String) -> APIVersions {
        APIVersions(
            versions: ["v1"],
            serverAddressByClientCIDRs: [ServerAddressByClientCIDR(clientCIDR: "0.0.0.0/0", serverAddress: serverAddress)])
    }

    /// `GET /apis`: every named group, its one version preferred.
    var groups: APIGroupList {
        APIGroupList(groups: groupNames.compactMap(group(named:)))
    }

    /// `GET /apis/<group>`, nil for a group not served.
    func group(named name: String) -> APIGroup? {
        let versions = resourceLists.filter { $0.groupVersion.hasPrefix(name + "/") }.map {
            GroupVersionForDiscovery(groupVersion: $0.groupVersion, version: String($0.groupVersion.dropFirst(name.count + 1)))
        }
        return versions.isEmpty ? nil : APIGroup(name: name, versions: versions)
    }

    /// `GET /api/v1` or `/apis/<group>/<version>`, nil when not served.
    func resources(groupVersion: String) -> APIResourceList? {
        resourceLists.first { $0.groupVersion == groupVersion }
    }

    private var groupNames: [String] {
        var names: [String] = []
        for list in resourceLists {
            guard let slash = list.groupVersion.firstIndex(of: "/") else { continue }
            let name = String(list.groupVersion[..<slash])
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}
