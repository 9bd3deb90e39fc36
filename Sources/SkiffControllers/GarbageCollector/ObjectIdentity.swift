import SkiffAPI

/// Where an object of the graph lives and which incarnation it is: upstream's
/// objectReference (an OwnerReference plus the namespace). Names can be reused;
/// the uid tells incarnations apart.
struct ObjectIdentity: Hashable, Sendable, CustomStringConvertible {
    var apiVersion: String
    var kind: String
    var namespace: String?
    var name: String
    var uid: String

    var description: String {
        "\(apiVersion)/\(kind) \(ObjectKey.make(namespace: namespace, name: name)) (uid \(uid))"
    }

    /// The identity of the object an owner reference names. Owners of a namespaced
    /// dependent live in its namespace when their kind is namespaced; a
    /// cluster-scoped dependent can only have cluster-scoped owners.
    init(owner reference: OwnerReference, dependentNamespace: String?, ownerNamespaced: Bool) {
        apiVersion = reference.apiVersion
        kind = reference.kind
        namespace = ownerNamespaced ? dependentNamespace : nil
        name = reference.name
        uid = reference.uid
    }

    init(apiVersion: String, kind: String, namespace: String?, name: String, uid: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }
}
