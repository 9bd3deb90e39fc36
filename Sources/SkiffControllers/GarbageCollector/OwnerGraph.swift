import SkiffAPI

/// What the collector should look at next, as upstream's two queues
/// attemptToDelete and attemptToOrphan. Keys of one work queue.
enum CollectorWork: Hashable, Sendable {
    /// Decide whether the object goes (its owners are gone) or, while it deletes
    /// in the foreground, whether its blocking dependents are gone.
    case attemptToDelete(uid: String)
    /// Strip the references to this owner from its dependents, then its `orphan` finalizer.
    case attemptToOrphan(uid: String)

    var key: String {
        switch self {
        case .attemptToDelete(let uid): "delete/" + uid
        case .attemptToOrphan(let uid): "orphan/" + uid
        }
    }

    init?(key: String) {
        if key.hasPrefix("delete/") {
            self = .attemptToDelete(uid: String(key.dropFirst("delete/".count)))
        } else if key.hasPrefix("orphan/") {
            self = .attemptToOrphan(uid: String(key.dropFirst("orphan/".count)))
        } else {
            return nil
        }
    }
}

/// One object of the graph (upstream's node). A virtual node stands for an owner
/// some dependent names but no informer has shown: it may exist and not be
/// observed yet, or never have existed.
struct GraphNode: Sendable {
    var identity: ObjectIdentity
    var owners: [OwnerReference] = []
    var dependents: Set<String> = []
    var observed: Bool
    var beingDeleted = false
    /// Deleting in the foreground: deletionTimestamp and the `foregroundDeletion` finalizer.
    var deletingDependents = false
}

/// The owner → dependents graph keyed by uid, as upstream's GraphBuilder keeps it:
/// informer events update it, and each update says which objects need a look.
/// A value type: the collector holds it in a Mutex.
struct OwnerGraph: Sendable {
    private(set) var nodes: [String: GraphNode] = [:]

    static let orphanFinalizer = "orphan"
    static let foregroundFinalizer = "foregroundDeletion"

    func node(_ uid: String) -> GraphNode? { nodes[uid] }

    /// The dependents of `uid` whose reference to it has blockOwnerDeletion set.
    func blockingDependents(of uid: String) -> [GraphNode] {
        guard let owner = nodes[uid] else { return [] }
        return owner.dependents.compactMap { nodes[$0] }.filter { dependent in
            dependent.owners.contains { $0.uid == uid && $0.blockOwnerDeletion == true }
        }
    }

    /// An object was added or changed (also the first sight of one already being
    /// deleted). `ownerNamespaced` says whether a reference's kind is namespaced.
    mutating func observe(
        _ identity: ObjectIdentity, _ metadata: ObjectMeta, ownerNamespaced: (OwnerReference) -> Bool
    ) -> [CollectorWork] {
        var work: [CollectorWork] = []
        let uid = identity.uid
        let newOwners = metadata.ownerReferences ?? []
        var node = nodes[uid] ?? GraphNode(identity: identity, observed: true)
        let oldOwners = node.observed ? node.owners : []
        node.identity = identity
        node.observed = true
        node.owners = newOwners

        for reference in oldOwners where !newOwners.contains(where: { $0.uid == reference.uid }) {
            nodes[reference.uid]?.dependents.remove(uid)
            if let owner = nodes[reference.uid], !owner.observed, owner.dependents.isEmpty {
                nodes.removeValue(forKey: reference.uid)
            }
            // An owner waiting for its dependents may be free now.
            if nodes[reference.uid]?.deletingDependents == true { work.append(.attemptToDelete(uid: reference.uid)) }
        }
        for reference in newOwners {
            if let old = oldOwners.first(where: { $0.uid == reference.uid }) {
                if old.blockOwnerDeletion == true && reference.blockOwnerDeletion != true,
                    nodes[reference.uid]?.deletingDependents == true
                {
                    work.append(.attemptToDelete(uid: reference.uid))
                }
                continue
            }
            if nodes[reference.uid] == nil {
                let owner = ObjectIdentity(
                    owner: reference, dependentNamespace: identity.namespace, ownerNamespaced: ownerNamespaced(reference))
                nodes[reference.uid] = GraphNode(identity: owner, observed: false)
                // Is it there at all? A live read answers; absent, its dependents are looked at.
                work.append(.attemptToDelete(uid: reference.uid))
            }
            nodes[reference.uid]?.dependents.insert(uid)
            // A dependent that arrives after its owner has started waiting for dependents.
            if nodes[reference.uid]?.deletingDependents == true { work.append(.attemptToDelete(uid: uid)) }
        }

        let finalizers = metadata.finalizers ?? []
        let deleting = metadata.deletionTimestamp != nil
        node.beingDeleted = deleting
        if deleting && finalizers.contains(Self.orphanFinalizer) {
            work.append(.attemptToOrphan(uid: uid))
        }
        let foreground = deleting && finalizers.contains(Self.foregroundFinalizer)
        if foreground && !node.deletingDependents {
            work.append(.attemptToDelete(uid: uid))
            work += node.dependents.map { .attemptToDelete(uid: $0) }
        }
        node.deletingDependents = foreground
        nodes[uid] = node
        return work
    }

    /// An object is gone (an informer's delete, or a live read found a virtual
    /// node absent): its dependents may have lost their last owner, and owners
    /// deleting in the foreground may have lost their last blocking dependent.
    mutating func remove(_ uid: String) -> [CollectorWork] {
        guard let node = nodes.removeValue(forKey: uid) else { return [] }
        var work: [CollectorWork] = node.dependents.map { .attemptToDelete(uid: $0) }
        for reference in node.owners {
            nodes[reference.uid]?.dependents.remove(uid)
            if nodes[reference.uid]?.deletingDependents == true { work.append(.attemptToDelete(uid: reference.uid)) }
        }
        return work
    }

    /// A live read found a virtual node's object absent (upstream's virtual delete
    /// event). Observed nodes are left to their informer.
    mutating func removeVirtual(_ uid: String) -> [CollectorWork] {
        guard let node = nodes[uid], !node.observed else { return [] }
        nodes.removeValue(forKey: uid)
        return node.dependents.map { .attemptToDelete(uid: $0) }
    }
}
