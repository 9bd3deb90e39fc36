import SkiffAPI

extension APIServer {
    /// Health, version, discovery and OpenAPI; nil for any other path.
    func serveInfo(_ segments: [String], request: APIRequest) async throws(APIError) -> APIResponse? {
        guard let first = segments.first else { return try rootPaths(request) }
        switch first {
        case "healthz", "livez", "readyz":
            guard request.method == "GET" || request.method == "HEAD" else { throw .methodNotAllowed }
            return try await health(first, request: request)
        case "version" where segments.count == 1:
            return .json(try ResourceHandler.encode(ServerVersion.info))
        case "api" where segments.count <= 2:
            return try coreDiscovery(segments)
        case "apis" where segments.count <= 3:
            return try groupDiscovery(segments)
        case "openapi":
            return try openAPIDocument(segments)
        default:
            return nil
        }
    }

    private func rootPaths(_ request: APIRequest) throws(APIError) -> APIResponse {
        var paths = ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v3", "/readyz", "/version"]
        paths += discovery.resourceLists.filter { $0.groupVersion.contains("/") }.flatMap { list in
            ["/apis/\(list.groupVersion)", "/apis/" + (list.groupVersion.split(separator: "/").first.map(String.init) ?? "")]
        }
        let body: JSONValue = .object(JSONObject([(key: "paths", value: .array(Set(paths).sorted().map { .string($0) }))]))
        return .json(JSONCodec.serialize(body))
    }

    /// `ok`, or with `?verbose` one line per check as upstream prints them.
    private func health(_ endpoint: String, request: APIRequest) async throws(APIError) -> APIResponse {
        var checks: [(String, Bool)] = [("ping", true)]
        if endpoint != "livez" {
            var ready = true
            for cache in caches.values where cache.resourceVersion == 0 { ready = false }
            checks.append(("watch-cache", ready))
        }
        let healthy = checks.allSatisfy(\.1)
        var text: String
        if request.query.contains("verbose") {
            text = checks.map { "[\($0.1 ? "+" : "-")]\($0.0) \($0.1 ? "ok" : "failed")" }.joined(separator: "\n")
            text += "\n\(endpoint) check \(healthy ? "passed" : "failed")\n"
        } else {
            text = healthy ? "ok" : "[-]watch-cache failed: reason withheld\n\(endpoint) check failed"
        }
        var response = APIResponse(
            status: healthy ? 200 : 500, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
        response.headers.add("X-Content-Type-Options", "nosniff")
        return response
    }

    private func coreDiscovery(_ segments: [String]) throws(APIError) -> APIResponse {
        if segments.count == 1 {
            return .json(try ResourceHandler.encode(discovery.coreVersions(serverAddress: configuration.advertisedAddress)))
        }
        guard let list = discovery.resources(groupVersion: segments[1]) else { throw .pathNotFound }
        return .json(try ResourceHandler.encode(list))
    }

    private func groupDiscovery(_ segments: [String]) throws(APIError) -> APIResponse {
        switch segments.count {
        case 1:
            return .json(try ResourceHandler.encode(discovery.groups))
        case 2:
            guard var group = discovery.group(named: segments[1]) else { throw .pathNotFound }
            group.kind = "APIGroup"
            group.apiVersion = "v1"
            return .json(try ResourceHandler.encode(group))
        default:
            guard let list = discovery.resources(groupVersion: "\(segments[1])/\(segments[2])") else {
                throw .pathNotFound
            }
            return .json(try ResourceHandler.encode(list))
        }
    }

    private func openAPIDocument(_ segments: [String]) throws(APIError) -> APIResponse {
        guard segments.count >= 2, segments[1] == "v3" else { throw .pathNotFound }
        if segments.count == 2 { return .json(openAPI.index) }
        guard let document = openAPI.documents[segments.dropFirst(2).joined(separator: "/")] else {
            throw .pathNotFound
        }
        return .json(document)
    }
}
