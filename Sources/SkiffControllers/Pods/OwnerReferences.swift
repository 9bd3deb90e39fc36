import SkiffAPI

extension ObjectMeta {
    /// The owner reference with `controller: true`, if any (metav1.GetControllerOf).
    public var controllerReference: OwnerReference? {
        ownerReferences?.first { $0.controller == true }
    }
}

extension OwnerReference {
    /// The reference a controller puts on what it creates or adopts
    /// (metav1.NewControllerRef): controller and blockOwnerDeletion both true.
    public static func controller<T: APIObject>(_ owner: T) -> OwnerReference {
        OwnerReference(
            apiVersion: T.apiVersion, kind: T.kind, name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "",
            controller: true, blockOwnerDeletion: true)
    }
}

/// The strategic merge patches upstream's controller ref manager sends to adopt
/// or release a dependent. Both carry the dependent's uid, so a patch meant for
/// an object that was deleted and made again under the same name fails instead
/// of touching the new one (uid is immutable).
enum OwnershipPatch {
    private struct Adopt: Encodable {
        struct Metadata: Encodable {
            var ownerReferences: [OwnerReference]
            var uid: String
        }
        var metadata: Metadata
    }

    private struct Release: Encodable {
        struct Deletion: Encodable {
            var patch = "delete"
            var uid: String
            enum CodingKeys: String, CodingKey {
                case patch = "$patch"
                case uid
            }
        }
        struct Metadata: Encodable {
            var ownerReferences: [Deletion]
            var uid: String
        }
        var metadata: Metadata
    }

    static func adopt(dependentUID: String, owner: OwnerReference) -> [UInt8] {
        (try? JSONCodec.encode(Adopt(metadata: .init(ownerReferences: [owner], uid: dependentUID)))) ?? []
    }

    static func release(dependentUID: String, ownerUID: String) -> [UInt8] {
        (try? JSONCodec.encode(Release(metadata: .init(ownerReferences: [.init(uid: ownerUID)], uid: dependentUID)))) ?? []
    }
}
