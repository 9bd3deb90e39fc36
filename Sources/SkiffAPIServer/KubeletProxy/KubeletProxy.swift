import SkiffAPI

/// The pod subresources that the pod's kubelet answers: `log`, streamed back from
/// the kubelet's `/containerLogs`, and `exec`, `attach` and `portforward`, whose
/// WebSocket sessions are relayed message by message to the kubelet's `/exec`,
/// `/attach` and `/portForward`. Upstream's checks come first (the pod exists, the
/// container is one of its own, the pod has a node, the node has an address),
/// with upstream's messages.
struct KubeletProxy: Sendable {
    let locator: KubeletLocator
    let connector: KubeletConnector

    /// Subresources of pods served here.
    static let subresources: Set<String> = ["log", "exec", "attach", "portforward"]

    /// What the API server identifies itself as to kubelets.
    static let userAgent = "skiff-apiserver"

    init(registries: Registries, settings: KubeletClientSettings?, defaultPort: Int) {
        locator = KubeletLocator(registries: registries, defaultPort: defaultPort)
        connector = KubeletConnector(settings: settings)
    }

    /// Serves `subresource` of pod `name`: GET for log; GET (WebSocket) or POST
    /// (which only a SPDY upgrade would use) for the others.
    func serve(subresource: String, namespace: String, name: String, request: APIRequest) async throws(APIError)
        -> APIResponse
    {
        switch (subresource, request.method) {
        case ("log", "GET"):
            return try await logs(namespace: namespace, name: name, request: request)
        case (_, "GET"), (_, "POST"):
            guard let kind = PodStreamKind(rawValue: subresource) else { throw .methodNotAllowed }
            return try await stream(kind, namespace: namespace, name: name, request: request)
        default:
            throw .methodNotAllowed
        }
    }
}
