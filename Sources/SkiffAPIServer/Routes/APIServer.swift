import Logging
import SkiffAPI
import SkiffPKI
import SkiffStore
import Synchronization

/// The Kubernetes API server: authenticates each request, serves discovery,
/// OpenAPI, health and version itself, and hands resource requests to a
/// ``ResourceHandler`` over the kind's registry and watch cache. Give it to an
/// ``APIHTTPServer`` as its handler.
public final class APIServer: APIHandler {
    public struct Configuration: Sendable {
        /// Bearer tokens (kube-apiserver's --token-auth-file).
        public var tokens: TokenFile?
        /// Plain HTTP for tests: no TLS, so no credentials; every request is admin.
        public var plainHTTP = false
        /// `host:port` clients reach the server at, announced by `GET /api`.
        public var advertisedAddress = "127.0.0.1:\(APIServerDefaults.securePort)"
        public var watchCache = WatchCache.Configuration()
        /// How to reach kubelets for pods/log, exec, attach and portforward: HTTPS
        /// trusting this CA and presenting this client certificate. Nil talks plain
        /// HTTP to kubelets, which only tests and plain-HTTP mode should do.
        public var kubeletClient: KubeletClientSettings?
        /// The kubelet port for nodes that report none in
        /// `status.daemonEndpoints.kubeletEndpoint.Port`.
        public var kubeletPort = KubeletClientSettings.defaultKubeletPort
        /// `/cacerts` and node credentials for agents joining with the node token;
        /// nil (plain HTTP, no PKI) serves neither.
        public var nodeJoin: NodeJoin?

        public init() {}
    }

    public let registries: Registries
    let configuration: Configuration
    let caches: [String: WatchCache]
    let discovery: Discovery
    let openAPI: OpenAPIDocuments
    let authenticator: Authenticator
    let kubelets: KubeletProxy
    let logger: Logger
    private let maintenance = Mutex<[Task<Void, Never>]>([])

    public init(
        store: any Store, configuration: Configuration = Configuration(), context: Registry.Context = .server,
        logger: Logger = Logger(label: "skiff.apiserver")
    ) {
        registries = Registries(store: store, context: context)
        self.configuration = configuration
        var caches: [String: WatchCache] = [:]
        for registry in registries.all {
            let type = registry.objectType
            caches[Self.key(group: type.group, resource: type.resource)] = WatchCache(
                store: store, type: type, configuration: configuration.watchCache, logger: logger)
        }
        self.caches = caches
        discovery = Discovery(registries: registries.all)
        openAPI = OpenAPIDocuments(discovery: discovery)
        authenticator = Authenticator(tokens: configuration.tokens, plainHTTP: configuration.plainHTTP)
        kubelets = KubeletProxy(
            registries: registries, settings: configuration.kubeletClient, defaultPort: configuration.kubeletPort)
        self.logger = logger
    }

    private static func key(group: String, resource: String) -> String { group + "/" + resource }

    /// Creates the default namespaces, repairs Service allocations a crash may have
    /// left behind, starts every watch cache and waits until each has its first
    /// list (so the server never answers from an empty cache), then keeps
    /// allocation repair and event expiry running.
    public func start() async throws {
        try await registries.bootstrap()
        let report = try await registries.repairAllocations()
        if report != AllocationRepair.Report() {
            logger.info("repaired service allocations", metadata: ["report": "\(report)"])
        }
        for cache in caches.values { cache.start() }
        for cache in caches.values { try await cache.waitUntilReady() }
        let store = registries.store
        let context = registries.context
        let logger = self.logger
        maintenance.withLock { tasks in
            tasks.append(Task { await AllocationRepair(store: store, context: context, logger: logger).run(every: .seconds(180)) })
            tasks.append(Task { await EventExpiry(store: store, context: context, logger: logger).run(every: .seconds(60)) })
        }
    }

    /// Keeps default/kubernetes, its Endpoints and EndpointSlice pointing at this
    /// server; call once the listener's port is known.
    public func announce(address: String, port: Int) async throws {
        try await registries.ensureKubernetesService(advertiseAddress: address, port: Int32(port))
    }

    /// Stops maintenance and the watch caches, which ends every watch.
    public func stop() async {
        let tasks = maintenance.withLock { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        for cache in caches.values { await cache.stop() }
    }

    public func handle(_ request: APIRequest) async -> APIResponse {
        let response = await APIResponse.catching { () async throws(APIError) -> APIResponse in
            try await route(request)
        }
        logger.debug(
            "request",
            metadata: ["method": "\(request.method)", "path": "\(request.path)", "status": "\(response.status)", "id": "\(request.id)"])
        return response
    }

    private func route(_ request: APIRequest) async throws(APIError) -> APIResponse {
        // A joining node has only its token, which is not an API credential.
        if let join = configuration.nodeJoin, let response = try join.serve(request.pathSegments, request: request) {
            return response
        }
        // Who asked decides only whether the request is let in: every
        // authenticated user may do everything until authorization (RBAC) exists.
        switch authenticator.authenticate(request) {
        case .user: break
        case .rejected: throw .unauthorized
        case .anonymous:
            guard Authenticator.isPublic(request.path) else { throw .unauthorized }
        }
        var segments = request.pathSegments
        if segments.last == "" { segments.removeLast() }
        if let response = try await serveInfo(segments, request: request) { return response }
        guard let path = ResourcePath(segments: segments) else { throw .pathNotFound }
        guard let registry = registries.registry(group: path.group, resource: path.resource),
            registry.objectType.version == path.version,
            let cache = caches[Self.key(group: path.group, resource: path.resource)]
        else { throw .pathNotFound }
        if !registry.objectType.namespaced, path.namespace != nil { throw .pathNotFound }
        let handler = ResourceHandler(
            path: path, request: request, registry: registry, cache: cache, kubelets: kubelets)
        return try await handler.serve()
    }
}
