import SkiffAPI

/// Serves one request for a resource or its subresources: maps the method and
/// path to a verb, calls the registry (or the watch cache), and encodes the
/// answer. Logic stays in the registry; this only decodes and encodes.
struct ResourceHandler {
    let path: ResourcePath
    let request: APIRequest
    let registry: AnyResourceRegistry
    let cache: WatchCache
    /// Where pods/log, exec, attach and portforward go.
    let kubelets: KubeletProxy

    var type: any APIObject.Type { registry.objectType }
    var query: QueryOptions { QueryOptions(query: request.query) }
    var namespace: String? { type.namespaced ? path.namespace : nil }

    func serve() async throws(APIError) -> APIResponse {
        guard let name = path.name else { return try await serveCollection() }
        if type == Pod.self, let subresource = path.subresource, KubeletProxy.subresources.contains(subresource) {
            guard let namespace = path.namespace else { throw .pathNotFound }
            return try await kubelets.serve(subresource: subresource, namespace: namespace, name: name, request: request)
        }
        switch (path.subresource, request.method) {
        case (nil, "GET"):
            if try isWatch { return try await watch(singleObject: name) }
            return try await get(name)
        case (nil, "PUT"): return try await update(name, subresource: nil)
        case (nil, "PATCH"): return try await patch(name, subresource: nil)
        case (nil, "DELETE"): return try await delete(name)
        case ("status", "GET"): return try await get(name)
        case ("status", "PUT"): return try await update(name, subresource: .status)
        case ("status", "PATCH"): return try await patch(name, subresource: .status)
        case ("finalize", "PUT"): return try await update(name, subresource: .finalize)
        case ("scale", "GET"): return try await getScale(name)
        case ("scale", "PUT"): return try await updateScale(name)
        case ("scale", "PATCH"): return try await patchScale(name)
        case ("binding", "POST"): return try await bind(name)
        case ("eviction", "POST"): return try await evict(name)
        case (let subresource?, _):
            guard hasSubresource(subresource) else { throw .pathNotFound }
            throw .methodNotAllowed
        default:
            throw .methodNotAllowed
        }
    }

    private func serveCollection() async throws(APIError) -> APIResponse {
        switch request.method {
        case "GET":
            if try isWatch { return try await watch(singleObject: nil) }
            return try await list()
        case "POST": return try await create()
        case "DELETE": return try await deleteCollection()
        default: throw .methodNotAllowed
        }
    }

    /// `?watch=true`, or the deprecated `/watch/` path.
    private var isWatch: Bool {
        get throws(APIError) {
            let asked = try query.watch
            return asked || path.watchPrefix
        }
    }

    func hasSubresource(_ name: String) -> Bool {
        registry.subresources.contains(name) || (name == "eviction" && type == Pod.self)
    }

    // MARK: - Encoding

    /// An object as the client asked for it: JSON, or a one-row Table.
    func respond(_ object: any APIObject, status: Int = 200, warnings: [String] = []) throws(APIError) -> APIResponse {
        var response: APIResponse
        switch try ResponseFormat(request: request) {
        case .json:
            response = .json(try Self.encode(object), status: status)
        case .table(let include):
            let table = try TableConversion.table(of: type, objects: [object], includeObject: include)
            response = .json(try Self.encode(table), status: status)
        }
        response.addWarnings(warnings)
        return response
    }

    static func encode<V: Encodable>(_ value: V) throws(APIError) -> [UInt8] {
        do {
            return try JSONCodec.encode(value)
        } catch {
            throw .internalError("unable to encode the response: \(error)")
        }
    }

    /// The manager recorded in managedFields: `?fieldManager`, else the user
    /// agent's product name, as upstream's field manager names it.
    var fieldManager: String {
        if let manager = request.query["fieldManager"], !manager.isEmpty { return manager }
        let agent = request.headers["User-Agent"] ?? ""
        let product = agent.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        return String(product.prefix(OptionChecks.fieldManagerMaxLength))
    }
}
