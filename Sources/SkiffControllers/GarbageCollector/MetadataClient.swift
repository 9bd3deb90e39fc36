import SkiffAPI
import SkiffClient

/// The calls the garbage collector makes on objects of any kind, by identity,
/// reading only their metadata (upstream uses the metadata client for the same
/// reason: the collector never needs a spec).
struct MetadataClient: Sendable {
    private struct Partial: Decodable {
        var metadata = ObjectMeta()
    }

    /// A reference whose kind the API server does not serve.
    struct UnknownKind: Error, CustomStringConvertible {
        let apiVersion: String
        let kind: String
        var description: String { "no kind \(kind) is served in \(apiVersion)" }
    }

    let client: APIClient

    /// The live object's metadata, or nil when it does not exist.
    func get(_ identity: ObjectIdentity) async throws -> ObjectMeta? {
        let path = try path(of: identity)
        do {
            let reply = try await client.request(.GET, path)
            return try JSONCodec.decode(Partial.self, from: reply.body).metadata
        } catch {
            if (error as? ClientError)?.isNotFound == true { return nil }
            throw error
        }
    }

    /// Deletes the object if it is still this incarnation (a uid precondition), with
    /// the propagation policy given; an object already gone or replaced is no error.
    func delete(_ identity: ObjectIdentity, propagationPolicy: String) async throws {
        var options = DeleteOptions()
        options.setTypeMeta()
        var preconditions = Preconditions()
        preconditions.uid = identity.uid
        options.preconditions = preconditions
        options.propagationPolicy = propagationPolicy
        do {
            try await client.request(.DELETE, try path(of: identity), body: try JSONCodec.encode(options))
        } catch {
            let error = error as? ClientError
            if error?.isNotFound == true || error?.isConflict == true { return }
            throw error ?? ClientError(code: 0, reason: .unknown, message: "delete failed")
        }
    }

    enum PatchKind: String {
        case merge = "application/merge-patch+json"
        case strategicMerge = "application/strategic-merge-patch+json"
    }

    /// Sends a patch; false when the object is gone.
    @discardableResult
    func patch(_ identity: ObjectIdentity, _ kind: PatchKind, body: [UInt8]) async throws -> Bool {
        do {
            try await client.request(.PATCH, try path(of: identity), body: body, contentType: kind.rawValue)
            return true
        } catch {
            if (error as? ClientError)?.isNotFound == true { return false }
            throw error
        }
    }

    private func path(of identity: ObjectIdentity) throws -> String {
        guard let kind = MonitoredKinds.resolve(apiVersion: identity.apiVersion, kind: identity.kind) else {
            throw UnknownKind(apiVersion: identity.apiVersion, kind: identity.kind)
        }
        return kind.path(identity.namespace, identity.name)
    }
}
