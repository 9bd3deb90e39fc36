import SkiffAPI

extension ResourceHandler {
    var decoding: BodyDecoding {
        get throws(APIError) { BodyDecoding(type: type, validation: try query.fieldValidation()) }
    }

    /// POST to the collection: 201 with the created object.
    func create() async throws(APIError) -> APIResponse {
        let decoding = try self.decoding
        var document = try decoding.document(request)
        document = try Self.recordingManagedFields(document, old: nil, manager: fieldManager)
        let (object, warnings) = try decoding.object(from: document)
        let created = try await registry.create(namespace: namespace, object: object, options: query.writeOptions)
        return try respond(created, status: 201, warnings: warnings)
    }

    /// PUT of the object or of its status: 200, or 201 when it created the object.
    func update(_ name: String, subresource: Registry.Subresource?) async throws(APIError) -> APIResponse {
        let decoding = try self.decoding
        var document = try decoding.document(request)
        let old = try? await registry.get(namespace: namespace, name: name)
        document = try Self.recordingManagedFields(
            document, old: old.map(Self.jsonValue), manager: fieldManager, subresource: subresource)
        let (object, warnings) = try decoding.object(from: document)
        let result = try await registry.update(
            namespace: namespace, name: name, object: object, subresource: subresource, options: query.writeOptions)
        return try respond(result.object, status: result.created ? 201 : 200, warnings: warnings)
    }

    func delete(_ name: String) async throws(APIError) -> APIResponse {
        let options = try query.deleteOptions(request)
        let result = try await registry.delete(namespace: namespace, name: name, options: options)
        if let status = result.status { return .json(try Self.encode(status)) }
        return try respond(result.object)
    }

    func deleteCollection() async throws(APIError) -> APIResponse {
        let listing = try await registry.deleteCollection(
            namespace: namespace, listOptions: try query.listOptions(),
            options: try query.deleteOptions(request))
        return .json(try Self.encode(listing))
    }

    /// POST `pods/<name>/binding`: 201 with a Success Status.
    func bind(_ name: String) async throws(APIError) -> APIResponse {
        let binding: Binding = try decodeBody(Binding.self)
        let status = try await registry.bind(namespace: namespace, name: name, binding: binding, options: query.writeOptions)
        return .json(try Self.encode(status), status: 201)
    }

    /// POST `pods/<name>/eviction`: deletes the pod with the eviction's delete
    /// options (no PodDisruptionBudgets are served, so none can refuse it) and
    /// answers 201 with a Success Status, as upstream does.
    func evict(_ name: String) async throws(APIError) -> APIResponse {
        let eviction: Eviction = try decodeBody(Eviction.self)
        if let evicted = eviction.metadata.name, !evicted.isEmpty, evicted != name {
            throw .badRequest("name in URL does not match name in Eviction object")
        }
        var options = eviction.deleteOptions ?? DeleteOptions()
        if options.dryRun == nil, request.query.contains("dryRun") { options.dryRun = request.query.values("dryRun") }
        _ = try await registry.delete(namespace: namespace, name: name, options: options)
        var status = Status()
        status.setTypeMeta()
        status.status = Status.success
        status.code = 201
        return .json(try Self.encode(status), status: 201)
    }

    func getScale(_ name: String) async throws(APIError) -> APIResponse {
        .json(try Self.encode(try await registry.getScale(namespace: namespace, name: name)))
    }

    func updateScale(_ name: String) async throws(APIError) -> APIResponse {
        let scale: Scale = try decodeBody(Scale.self)
        let updated = try await registry.updateScale(
            namespace: namespace, name: name, scale: scale, options: query.writeOptions)
        return .json(try Self.encode(updated))
    }

    /// A body of a fixed kind other than the resource's (Binding, Eviction, Scale).
    func decodeBody<K: APIKind>(_ kind: K.Type) throws(APIError) -> K {
        let subject = "\(K.kind) in version \"\(K.apiVersion)\""
        let document = try RequestBody.parse(request, as: subject, kind: K.kind)
        let value: K
        do {
            value = try JSONCodec.decode(K.self, from: document, unknownFields: .ignore)
        } catch {
            throw .badRequest("\(subject) cannot be handled as a \(K.kind): \(error)")
        }
        if let kind = value.kind, !kind.isEmpty, kind != K.kind {
            throw .badRequest("\(kind) in version \"\(value.apiVersion ?? "")\" cannot be handled as a \(K.kind)")
        }
        return value
    }

    // MARK: - Managed fields

    static func jsonValue(_ object: any Encodable) -> JSONValue {
        (try? JSONCodec.encodeValue(object)) ?? .object(JSONObject())
    }

    /// What a write through the object (or a subresource) cannot change, so no
    /// manager owns it: the status on the object, the spec on `…/status`.
    static func serverResetPaths(_ subresource: Registry.Subresource?) -> [[String]] {
        subresource == nil ? [["status"]] : [["spec"]]
    }

    /// The document with its writer recorded in `metadata.managedFields`, as
    /// upstream's field manager records every create, update and patch.
    static func recordingManagedFields(
        _ document: JSONValue, old: JSONValue?, manager: String, subresource: Registry.Subresource? = nil
    ) throws(APIError) -> JSONValue {
        do {
            return try ManagedFields.recordUpdate(
                manager: manager, old: old, new: document, ignoring: serverResetPaths(subresource),
                subresource: subresource?.rawValue)
        } catch {
            throw PatchFailure.apiError(error)
        }
    }
}
