import SkiffAPI

/// The OpenAPI v3 documents kubectl reads: `/openapi/v3` lists one document per
/// group-version, and each names, for every kind, its paths and a `patch`
/// operation tagged with the kind's group-version-kind and the `fieldValidation`
/// parameter. That is how kubectl learns the server validates fields itself
/// (cli-runtime's query-param verifier), so `kubectl apply` and `create` send
/// `fieldValidation=Strict` instead of validating against a schema.
///
/// The patch operations deliberately do not offer
/// `application/strategic-merge-patch+json` in their request bodies: kubectl
/// then computes strategic merge patches from its compiled-in types (whose merge
/// keys are upstream's) rather than from these schemas, which carry no field
/// definitions.
struct OpenAPIDocuments: Sendable {
    /// Document bytes by path below `/openapi/v3/` (`api/v1`, `apis/apps/v1`).
    let documents: [String: [UInt8]]
    /// The index served at `/openapi/v3`.
    let index: [UInt8]

    init(discovery: Discovery) {
        var documents: [String: [UInt8]] = [:]
        var paths = JSONObject()
        for list in discovery.resourceLists {
            let prefix = list.groupVersion.contains("/") ? "apis/\(list.groupVersion)" : "api/\(list.groupVersion)"
            let bytes = JSONCodec.serialize(Self.document(for: list, prefix: prefix))
            documents[prefix] = bytes
            paths[prefix] = .object(JSONObject([
                (key: "serverRelativeURL", value: .string("/openapi/v3/\(prefix)?hash=\(Self.hash(bytes))"))
            ]))
        }
        self.documents = documents
        index = JSONCodec.serialize(.object(JSONObject([(key: "paths", value: .object(paths))])))
    }

    private static func document(for list: APIResourceList, prefix: String) -> JSONValue {
        let (group, version) = split(list.groupVersion)
        var paths = JSONObject()
        var schemas = JSONObject()
        for resource in list.resources where !resource.name.contains("/") {
            let gvk: JSONValue = .object(JSONObject([
                (key: "group", value: .string(group)), (key: "version", value: .string(version)),
                (key: "kind", value: .string(resource.kind)),
            ]))
            let base = resource.namespaced ? "/\(prefix)/namespaces/{namespace}/\(resource.name)" : "/\(prefix)/\(resource.name)"
            paths[base] = .object(JSONObject([
                (key: "get", value: operation("list", gvk: gvk, parameters: [])),
                (key: "post", value: operation("post", gvk: gvk, parameters: writeParameters)),
            ]))
            paths[base + "/{name}"] = .object(JSONObject([
                (key: "get", value: operation("get", gvk: gvk, parameters: [])),
                (key: "put", value: operation("put", gvk: gvk, parameters: writeParameters)),
                (key: "patch", value: patchOperation(gvk: gvk)),
                (key: "delete", value: operation("delete", gvk: gvk, parameters: [])),
            ]))
            let name = schemaName(group: group, version: version, kind: resource.kind)
            schemas[name] = .object(JSONObject([
                (key: "description", value: .string("\(resource.kind) is a \(list.groupVersion) kind served by Skiff.")),
                (key: "type", value: .string("object")),
                (key: "x-kubernetes-group-version-kind", value: .array([gvk])),
            ]))
        }
        return .object(JSONObject([
            (key: "openapi", value: .string("3.0.0")),
            (key: "info", value: .object(JSONObject([
                (key: "title", value: .string("Kubernetes")), (key: "version", value: .string(ServerVersion.gitVersion)),
            ]))),
            (key: "paths", value: .object(paths)),
            (key: "components", value: .object(JSONObject([(key: "schemas", value: .object(schemas))]))),
        ]))
    }

    private static let writeParameters = ["dryRun", "fieldManager", "fieldValidation"]

    private static func operation(_ action: String, gvk: JSONValue, parameters: [String]) -> JSONValue {
        .object(JSONObject([
            (key: "parameters", value: .array(parameters.map(queryParameter))),
            (key: "responses", value: .object(JSONObject([(key: "200", value: .object(JSONObject([(key: "description", value: "OK")])))]))),
            (key: "x-kubernetes-action", value: .string(action)),
            (key: "x-kubernetes-group-version-kind", value: gvk),
        ]))
    }

    private static func patchOperation(gvk: JSONValue) -> JSONValue {
        guard case .object(var patch) = operation("patch", gvk: gvk, parameters: writeParameters + ["force"]) else {
            return .null
        }
        let content = JSONObject(
            [PatchType.json, .merge, .apply].map { (key: $0.rawValue, value: JSONValue.object(JSONObject())) })
        patch["requestBody"] = .object(JSONObject([(key: "content", value: .object(content))]))
        return .object(patch)
    }

    private static func queryParameter(_ name: String) -> JSONValue {
        .object(JSONObject([
            (key: "name", value: .string(name)), (key: "in", value: .string("query")),
            (key: "schema", value: .object(JSONObject([(key: "type", value: .string(name == "force" ? "boolean" : "string"))]))),
        ]))
    }

    private static func split(_ groupVersion: String) -> (group: String, version: String) {
        guard let slash = groupVersion.firstIndex(of: "/") else { return ("", groupVersion) }
        return (String(groupVersion[..<slash]), String(groupVersion[groupVersion.index(after: slash)...]))
    }

    /// Upstream's schema names: io.k8s.api.core.v1.Pod, io.k8s.api.apps.v1.Deployment.
    private static func schemaName(group: String, version: String, kind: String) -> String {
        let package = group.isEmpty ? "core" : String(group.split(separator: ".").first ?? "")
        return "io.k8s.api.\(package).\(version).\(kind)"
    }

    /// FNV-1a of the document: clients only compare it, to know when to re-fetch.
    private static func hash(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16, uppercase: true)
    }
}
