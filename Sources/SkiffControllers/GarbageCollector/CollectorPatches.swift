import SkiffAPI

/// The patches the collector sends. Strategic merge patches carry the
/// dependent's uid, so one meant for an object deleted and made again under the
/// same name fails instead of touching the new one.
enum CollectorPatches {
    private struct Deletion: Encodable {
        var patch = "delete"
        var uid: String
        enum CodingKeys: String, CodingKey {
            case patch = "$patch"
            case uid
        }
    }

    private struct Metadata<References: Encodable>: Encodable {
        var ownerReferences: [References]
        var uid: String
    }

    private struct Body<M: Encodable>: Encodable {
        var metadata: M
    }

    private struct Finalizers: Encodable {
        var finalizers: [String]
        var resourceVersion: String
    }

    /// Deletes the references to these owners (merge key uid).
    static func removeReferences(_ ownerUIDs: [String], dependentUID: String) -> [UInt8] {
        encode(Body(metadata: Metadata(ownerReferences: ownerUIDs.map { Deletion(uid: $0) }, uid: dependentUID)))
    }

    /// Sets blockOwnerDeletion false on every reference that blocks
    /// (upstream unblockOwnerReferencesStrategicMergePatch).
    static func unblock(_ references: [OwnerReference], dependentUID: String) -> [UInt8] {
        let unblocked = references.filter { $0.blockOwnerDeletion == true }.map { reference in
            var reference = reference
            reference.blockOwnerDeletion = false
            return reference
        }
        return encode(Body(metadata: Metadata(ownerReferences: unblocked, uid: dependentUID)))
    }

    /// A JSON merge patch of the finalizers, valid only at this resourceVersion.
    static func finalizers(_ finalizers: [String], resourceVersion: String) -> [UInt8] {
        encode(Body(metadata: Finalizers(finalizers: finalizers, resourceVersion: resourceVersion)))
    }

    private static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        (try? JSONCodec.encode(value)) ?? []
    }
}
