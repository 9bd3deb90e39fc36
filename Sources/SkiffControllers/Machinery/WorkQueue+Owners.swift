import SkiffAPI
import SkiffClient

extension WorkQueue where Key == String {
    /// Queues the owner an informer event names (a ReplicaSet, a DaemonSet…); a
    /// deleted owner's expectations are forgotten first, as upstream's
    /// DeleteExpectations, so its next sync does not wait for pods it will never see.
    func addOwner<T: APIObject>(_ event: InformerEvent<T>, forgetting expectations: Expectations) {
        switch event {
        case .added(let owner), .updated(_, let owner):
            add(ObjectKey.make(namespace: owner.metadata.namespace, name: owner.metadata.name))
        case .deleted(let owner):
            let key = ObjectKey.make(namespace: owner.metadata.namespace, name: owner.metadata.name)
            expectations.remove(key)
            add(key)
        case .synced:
            break
        }
    }
}
