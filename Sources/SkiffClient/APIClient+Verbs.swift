import SkiffAPI

/// The typed verbs. Namespaced kinds take a namespace (create, update and the
/// status update read it from the object); lists and watches with a nil
/// namespace span all namespaces.
extension APIClient {
    public func get<T: APIObject>(
        _ type: T.Type, _ name: String, namespace: String? = nil
    ) async throws(ClientError) -> T {
        try Self.decode(T.self, try await request(.GET, T.path(namespace: namespace, name: name)))
    }

    /// One page (or, without `limit`, everything) of a list.
    public func list<T: APIObject>(
        _ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws(ClientError) -> ObjectList<T> {
        try Self.decode(ObjectList<T>.self, try await request(.GET, T.path(namespace: namespace), query: options.queryItems))
    }

    /// Every page of a list, fetched `pageSize` at a time; the result carries
    /// the resourceVersion all pages were read at.
    public func listAll<T: APIObject>(
        _ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions(), pageSize: Int = 500
    ) async throws(ClientError) -> ObjectList<T> {
        var options = options
        options.limit = pageSize
        var all = ObjectList<T>(items: [])
        while true {
            let page = try await list(T.self, namespace: namespace, options: options)
            all.items += page.items
            all.metadata.resourceVersion = page.metadata.resourceVersion
            guard let next = page.metadata.continue, !next.isEmpty else { return all }
            options.continue = next
            options.resourceVersion = nil
        }
    }

    @discardableResult
    public func create<T: APIObject>(_ object: T) async throws(ClientError) -> T {
        let path = T.path(namespace: Self.namespace(of: object))
        return try Self.decode(T.self, try await request(.POST, path, body: try Self.encode(Self.typed(object))))
    }

    /// Replaces the object; its resourceVersion, when set, must still be current.
    @discardableResult
    public func update<T: APIObject>(_ object: T) async throws(ClientError) -> T {
        try await put(object, subresource: nil)
    }

    /// Replaces the object's status through the status subresource.
    @discardableResult
    public func updateStatus<T: APIObject>(_ object: T) async throws(ClientError) -> T {
        try await put(object, subresource: "status")
    }

    @discardableResult
    public func patch<T: APIObject>(
        _ type: T.Type, _ name: String, namespace: String? = nil, _ patchType: PatchType, body: [UInt8],
        subresource: String? = nil
    ) async throws(ClientError) -> T {
        var query: [(String, String)] = []
        if case .apply(let manager, let force) = patchType {
            query.append(("fieldManager", manager))
            if force { query.append(("force", "true")) }
        }
        let path = T.path(namespace: namespace, name: name, subresource: subresource)
        let reply = try await request(.PATCH, path, query: query, body: body, contentType: patchType.contentType)
        return try Self.decode(T.self, reply)
    }

    /// Deletes an object; `gracePeriodSeconds`, `propagationPolicy` ("Foreground",
    /// "Background", "Orphan") and preconditions travel in `options`.
    public func delete<T: APIObject>(
        _ type: T.Type, _ name: String, namespace: String? = nil, options: DeleteOptions? = nil
    ) async throws(ClientError) {
        var body: [UInt8]?
        if var options {
            options.kind = DeleteOptions.kind
            options.apiVersion = DeleteOptions.apiVersion
            body = try Self.encode(options)
        }
        try await request(.DELETE, T.path(namespace: namespace, name: name), body: body)
    }

    /// Evicts a pod through `pods/{name}/eviction`, as `kubectl drain` does: a
    /// graceful delete the API may refuse (429) while a disruption budget forbids it.
    public func evict(pod name: String, namespace: String, options: DeleteOptions? = nil) async throws(ClientError) {
        var eviction = Eviction()
        eviction.setTypeMeta()
        eviction.metadata.name = name
        eviction.metadata.namespace = namespace
        eviction.deleteOptions = options
        let path = Pod.path(namespace: namespace, name: name, subresource: "eviction")
        try await request(.POST, path, body: try Self.encode(eviction))
    }

    /// Binds a pod to a node through `pods/{name}/binding`, as schedulers do.
    public func bind(pod name: String, namespace: String, uid: String? = nil, node: String) async throws(ClientError) {
        var binding = Binding()
        binding.setTypeMeta()
        binding.metadata.name = name
        binding.metadata.namespace = namespace
        binding.metadata.uid = uid
        binding.target = ObjectReference(kind: "Node", name: node)
        let path = Pod.path(namespace: namespace, name: name, subresource: "binding")
        try await request(.POST, path, body: try Self.encode(binding))
    }

    private func put<T: APIObject>(_ object: T, subresource: String?) async throws(ClientError) -> T {
        guard let name = object.metadata.name else {
            throw ClientError(code: 0, reason: .invalid, message: "\(T.kind) has no name to update")
        }
        let path = T.path(namespace: Self.namespace(of: object), name: name, subresource: subresource)
        return try Self.decode(T.self, try await request(.PUT, path, body: try Self.encode(Self.typed(object))))
    }

    private static func namespace<T: APIObject>(of object: T) -> String? {
        T.namespaced ? (object.metadata.namespace ?? "default") : nil
    }

    private static func typed<T: APIObject>(_ object: T) -> T {
        var object = object
        object.setTypeMeta()
        return object
    }
}
