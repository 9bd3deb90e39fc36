import SkiffAPI
import SkiffStore

extension ResourceRegistry {
    /// Upstream tries this many names from one generateName before giving up.
    static var generateNameAttempts: Int { 8 }

    /// Creates an object (POST), as upstream's generic store does: namespace from the
    /// request, name from `generateName`, uid and creationTimestamp, the kind's
    /// PrepareForCreate, defaults, validation (422), then the store (409 when the name
    /// is taken). Returns the stored object, its resourceVersion the write's revision.
    ///
    /// - Parameter namespace: the request's namespace; nil lets a namespaced
    ///   object keep its own (in-process callers), and is ignored for cluster-scoped kinds.
    public func create(
        namespace: String?, _ object: T, options: Registry.WriteOptions = Registry.WriteOptions()
    ) async throws(APIError) -> T {
        try options.validate(as: "CreateOptions")
        var object = object
        try Namespacing.ensure(&object, requestNamespace: namespace)
        try await admitCreate(object)
        let generateName = object.metadata.generateName ?? ""
        guard (object.metadata.name ?? "").isEmpty && !generateName.isEmpty else {
            return try await createOnce(object, options: options)
        }
        var name = ""
        for _ in 0..<Self.generateNameAttempts {
            var attempt = object
            name = NameGenerator.name(base: generateName, suffix: context.nameSuffix())
            attempt.metadata.name = name
            do {
                return try await createOnce(attempt, options: options)
            } catch where error.reason == "AlreadyExists" {
                continue
            }
        }
        throw .generateNameConflict(resource: T.resource, group: T.group, name: name)
    }

    /// One create attempt of an object whose name is set: defaults, mutating
    /// admission, system fields, then BeginCreate (Services take their cluster IPs
    /// and node ports) before the kind's preparation and validation; what BeginCreate
    /// took goes back if the object is not stored.
    private func createOnce(_ input: T, options: Registry.WriteOptions) async throws(APIError) -> T {
        var object = APIDefaulting.defaulted(input)
        try await mutateForCreate(&object)
        object.metadata.uid = context.makeUID()
        object.metadata.creationTimestamp = context.now().truncatedToSeconds
        object.metadata.deletionTimestamp = nil
        object.metadata.deletionGracePeriodSeconds = nil
        object.metadata.selfLink = nil
        let changes = try await beginCreate(&object, dryRun: options.isDryRun)
        do {
            let created = try await persist(object, options: options)
            await changes.commit()
            return created
        } catch {
            await changes.revert()
            throw error
        }
    }

    /// PrepareForCreate, validation and the store's create-if-absent.
    private func persist(_ prepared: T, options: Registry.WriteOptions) async throws(APIError) -> T {
        var object = prepared
        object.prepareForCreate()
        if T.tracksGeneration { object.metadata.generation = 1 }
        object.setTypeMeta()
        let name = object.metadata.name ?? ""
        let errors = APIValidation.validateCreate(object)
        if !errors.isEmpty { throw .invalid(kind: T.kind, group: T.group, name: name, errors: errors) }

        let key = key(namespace: object.metadata.namespace, name: name)
        if options.isDryRun {
            // A dry run still answers 409 for a taken name, as upstream's dry-run storage does.
            if let existing = try await read(namespace: object.metadata.namespace, name: name) {
                throw alreadyExists(name, existing: existing)
            }
            object.metadata.resourceVersion = nil
            return object
        }
        // Objects copied from a read carry a resourceVersion; upstream refuses them
        // with a bare 500 so that stale copies are not mistaken for fresh ones.
        if let version = Int64(object.metadata.resourceVersion ?? ""), version > 0 {
            throw APIError(code: 500, reason: "", message: "resourceVersion should not be set on objects to be created")
        }
        let data = try encodeForStore(object)
        do {
            let revision = try await store.create(key, value: data)
            object.metadata.resourceVersion = String(revision)
            return object
        } catch let error as StoreError where error.code == .alreadyExists {
            throw alreadyExists(name, existing: try? await read(namespace: object.metadata.namespace, name: name))
        } catch {
            throw failure(error, during: "create", name: name)
        }
    }

    /// 409 AlreadyExists, saying so when the taken name belongs to an object on its way out.
    private func alreadyExists(_ name: String, existing: KeyValue?) -> APIError {
        var error = APIError.alreadyExists(resource: T.resource, group: T.group, name: name)
        if let existing, let object = try? StoredObjects.decode(T.self, from: existing),
            object.metadata.deletionTimestamp != nil
        {
            error.message = "object is being deleted: " + error.message
        }
        return error
    }

    /// NamespaceLifecycle admission: nothing new in a missing or terminating namespace.
    func admitCreate(_ object: T) async throws(APIError) {
        guard context.namespaceLifecycle == .enforced, T.namespaced,
            let namespace = object.metadata.namespace, !namespace.isEmpty
        else { return }
        let key = RegistryKey(type: Namespace.self, namespace: nil, name: namespace).description
        guard let kv = try await attempt(name: namespace, { try await store.get(key).kv }) else {
            throw .notFound(resource: Namespace.resource, group: "", name: namespace)
        }
        let stored = try StoredObjects.decode(Namespace.self, from: kv)
        // The phase, as upstream reads it: a delete sets it together with deletionTimestamp.
        guard stored.status.phase == "Terminating" else { return }
        var error = APIError.namespaceTerminating(
            resource: T.resource, group: T.group, name: object.metadata.name ?? "", namespace: namespace)
        error.details?.causes = [
            StatusCause(
                reason: "NamespaceTerminating", message: "namespace \(namespace) is being terminated",
                field: "metadata.namespace")
        ]
        throw error
    }
}

/// The request's namespace against the object's (EnsureObjectNamespaceMatchesRequestNamespace).
enum Namespacing {
    /// Fills an unset namespace from the request, clears it on cluster-scoped kinds,
    /// and refuses a different one with upstream's 400.
    static func ensure<T: APIObject>(_ object: inout T, requestNamespace: String?) throws(APIError) {
        guard T.namespaced else {
            object.metadata.namespace = nil
            return
        }
        let own = object.metadata.namespace ?? ""
        guard let requested = requestNamespace, !requested.isEmpty else { return }
        if own.isEmpty {
            object.metadata.namespace = requested
        } else if own != requested {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
    }
}
