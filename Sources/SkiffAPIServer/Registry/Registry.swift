import Foundation
import SkiffAPI

/// The API server's registry layer: the generic create/get/list/update/delete semantics
/// of Kubernetes resources over a ``SkiffStore/Store``, as upstream's
/// `k8s.io/apiserver/pkg/registry/generic/registry` store and the per-kind strategies
/// implement them. No HTTP here: routes decode a request, call a registry and encode
/// what it returns.
///
/// `Registry` itself only namespaces the types shared by every kind's
/// ``ResourceRegistry``.
public enum Registry {
    /// What every registry shares besides the store: the clock, the identity
    /// generators, the namespace lifecycle policy and where Services' cluster IPs
    /// and node ports come from. Inject fakes in tests.
    public struct Context: Sendable {
        /// The current time; creation and deletion timestamps come from it.
        public var now: @Sendable () -> Time
        /// A new object UID (lowercase UUID upstream).
        public var makeUID: @Sendable () -> String
        /// The random suffix appended to `generateName`.
        public var nameSuffix: @Sendable () -> String
        /// Whether creates in missing or terminating namespaces are refused.
        public var namespaceLifecycle: NamespaceLifecycle
        /// The service CIDR and node port range Services allocate from.
        public var serviceNetwork: ServiceNetwork

        public init(
            now: @escaping @Sendable () -> Time = { Time.now() },
            makeUID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
            nameSuffix: @escaping @Sendable () -> String = { NameGenerator.randomSuffix() },
            namespaceLifecycle: NamespaceLifecycle = .disabled,
            serviceNetwork: ServiceNetwork = .default
        ) {
            self.now = now
            self.makeUID = makeUID
            self.nameSuffix = nameSuffix
            self.namespaceLifecycle = namespaceLifecycle
            self.serviceNetwork = serviceNetwork
        }

        /// The context the server runs with: real clock and identities, namespace
        /// lifecycle enforced.
        public static var server: Context { Context(namespaceLifecycle: .enforced) }
    }

    /// The subresources a registry writes through ``ResourceRegistry/update(namespace:name:_:subresource:options:)``.
    public enum Subresource: String, Sendable, Hashable {
        /// `…/status`: only the status (and, for most kinds, metadata) changes.
        case status
        /// `namespaces/…/finalize`: only a namespace's `spec.finalizers` change.
        case finalize
    }

    /// What an update did.
    public struct UpdateResult<Object>: Sendable where Object: Sendable {
        /// The object as stored (or as it would be, on a dry run).
        public var object: Object
        /// True when the update created the object (kinds that allow create on
        /// update): the route answers 201 instead of 200.
        public var created: Bool
        /// True when the update emptied the finalizers of an object being deleted,
        /// so the object is gone; `object` is its last state.
        public var deleted: Bool

        public init(object: Object, created: Bool = false, deleted: Bool = false) {
            self.object = object
            self.created = created
            self.deleted = deleted
        }
    }

    /// What a delete did.
    public struct DeleteResult<Object>: Sendable where Object: Sendable {
        /// The object's last state: deleted, or marked for deletion (deletionTimestamp set).
        public var object: Object
        /// True when the object is gone from the store; false when it waits for its
        /// finalizers or its grace period.
        public var deleted: Bool
        /// The body upstream answers with instead of the object, for kinds that reply
        /// with a `Status` (`{"status":"Success","details":{…}}`) once deleted; nil
        /// when the reply is the object.
        public var status: Status?

        public init(object: Object, deleted: Bool, status: Status? = nil) {
            self.object = object
            self.deleted = deleted
            self.status = status
        }
    }
}
