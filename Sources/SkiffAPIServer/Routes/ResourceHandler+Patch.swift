import SkiffAPI

/// The patch types of `PATCH`, by Content-Type.
enum PatchType: String {
    case json = "application/json-patch+json"
    case merge = "application/merge-patch+json"
    case strategic = "application/strategic-merge-patch+json"
    case apply = "application/apply-patch+yaml"

    static let accepted = [json, merge, strategic, apply].map(\.rawValue).joined(separator: ", ")

    init(request: APIRequest) throws(APIError) {
        let essence = MediaType(parsing: Substring(request.headers["Content-Type"] ?? "")).essence
        guard let type = PatchType(rawValue: essence) else { throw .unsupportedMediaType(Self.accepted) }
        self = type
    }

    /// Applies a JSON, merge or strategic merge patch (`schema` is only read by
    /// the last); server-side apply goes through ``ServerSideApply`` instead.
    func apply(_ patch: JSONValue, to document: JSONValue, schema: PatchSchema) throws(PatchError) -> JSONValue {
        switch self {
        case .json: return try JSONPatch.apply(patch, to: document)
        case .merge: return try MergePatch.apply(patch, to: document)
        case .strategic, .apply: return try StrategicMergePatch.apply(patch, to: document, schema: schema)
        }
    }
}

extension ResourceHandler {
    /// Upstream retries a patch this often when the object changed underneath it.
    static var patchAttempts: Int { 5 }

    /// PATCH of the object or its status: read, patch, write with the read's
    /// resourceVersion, and retry from the read when someone wrote in between
    /// (unless the patch itself named a resourceVersion, whose conflict is the
    /// client's to see). A server-side apply of a missing object creates it.
    func patch(_ name: String, subresource: Registry.Subresource?) async throws(APIError) -> APIResponse {
        let patchType = try PatchType(request: request)
        let decoding = try self.decoding
        if patchType == .apply, (request.query["fieldManager"] ?? "").isEmpty {
            throw .invalidOptions("PatchOptions", [.required(FieldPath("fieldManager"), "is required for apply patch")])
        }
        let patch = try PatchFailure.parse(request.body, as: patchType)
        for attempt in 1...Self.patchAttempts {
            let current: (any APIObject)?
            do {
                current = try await registry.get(namespace: namespace, name: name)
            } catch where error.code == 404 && patchType == .apply && subresource == nil {
                current = nil
            }
            let live = current.map(Self.jsonValue)
            var document = try patched(live, with: patch, type: patchType, subresource: subresource)
            let pinnedByPatch = patch["metadata"]?["resourceVersion"] != nil
            if !pinnedByPatch, let version = current?.metadata.resourceVersion {
                document = document.setting(["metadata", "resourceVersion"], to: .string(version))
            }
            let (object, warnings) = try decoding.object(from: document)
            do {
                guard current != nil else {
                    let created = try await registry.create(namespace: namespace, object: object, options: query.writeOptions)
                    return try respond(created, status: 201, warnings: warnings)
                }
                let result = try await registry.update(
                    namespace: namespace, name: name, object: object, subresource: subresource,
                    options: query.writeOptions)
                return try respond(result.object, warnings: warnings)
            } catch where error.code == 409 && !pinnedByPatch && attempt < Self.patchAttempts {
                continue
            }
        }
        throw .conflict(resource: type.resource, group: type.group, name: name)
    }

    /// The new document: the patch applied to the live object, with the writer
    /// recorded in managedFields.
    private func patched(
        _ live: JSONValue?, with patch: JSONValue, type patchType: PatchType, subresource: Registry.Subresource?
    ) throws(APIError) -> JSONValue {
        let manager = fieldManager
        do {
            switch patchType {
            case .apply:
                var configuration = patch
                if configuration["kind"] == nil { configuration = configuration.setting(["kind"], to: .string(type.kind)) }
                if configuration["apiVersion"] == nil {
                    configuration = configuration.setting(["apiVersion"], to: .string(type.apiVersion))
                }
                return try ServerSideApply.apply(
                    configuration, to: live, manager: manager, force: try query.force,
                    ignoring: Self.serverResetPaths(subresource), subresource: subresource?.rawValue)
            case .json, .merge, .strategic:
                guard let live else { throw APIError.notFound(resource: type.resource, group: type.group, name: path.name ?? "") }
                let schema = PatchSchema.for(apiVersion: type.apiVersion, kind: type.kind) ?? .empty
                let result = try patchType.apply(patch, to: live, schema: schema)
                return try Self.recordingManagedFields(result, old: live, manager: manager, subresource: subresource)
            }
        } catch {
            throw PatchFailure.apiError(error)
        }
    }

    /// PATCH of `…/scale`: the patch applies to the Scale object.
    func patchScale(_ name: String) async throws(APIError) -> APIResponse {
        let patchType = try PatchType(request: request)
        guard patchType != .apply else { throw .unsupportedMediaType(PatchType.accepted) }
        let patch = try PatchFailure.parse(request.body, as: patchType)
        let current = Self.jsonValue(try await registry.getScale(namespace: namespace, name: name))
        let result: JSONValue
        do {
            result = try patchType.apply(patch, to: current, schema: .empty)
        } catch {
            throw PatchFailure.apiError(error)
        }
        let scale: Scale
        do {
            scale = try JSONCodec.decode(Scale.self, from: result, unknownFields: .ignore)
        } catch {
            throw .badRequest("Scale in version \"autoscaling/v1\" cannot be handled as a Scale: \(error)")
        }
        let updated = try await registry.updateScale(namespace: namespace, name: name, scale: scale, options: query.writeOptions)
        return .json(try Self.encode(updated))
    }
}

/// Patch bodies and failures as upstream's patch handler reports them.
enum PatchFailure {
    /// The body as a JSON tree; YAML for apply.
    static func parse(_ body: [UInt8], as type: PatchType) throws(APIError) -> JSONValue {
        do {
            if type == .apply { return try YAMLReader.document(String(decoding: body, as: UTF8.self)) }
            return try JSONCodec.parse(body)
        } catch {
            throw .badRequest("error decoding patch: \(error)")
        }
    }

    static func apiError(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as PatchError:
            switch error.reason {
            case .badRequest: return .badRequest(error.message)
            case .invalid: return APIError(code: 422, reason: "Invalid", message: error.message)
            case .requestEntityTooLarge: return APIError(code: 413, reason: "RequestEntityTooLarge", message: error.message)
            case .internalError: return APIError(code: 500, reason: "", message: error.message)
            }
        case let conflict as ApplyConflict:
            var details = StatusDetails()
            details.causes = conflict.causes.map { cause in
                var statusCause = StatusCause()
                statusCause.reason = cause.reason
                statusCause.message = cause.message
                statusCause.field = cause.field
                return statusCause
            }
            return APIError(code: 409, reason: "Conflict", message: conflict.message, details: details)
        default:
            return .badRequest("\(error)")
        }
    }
}
