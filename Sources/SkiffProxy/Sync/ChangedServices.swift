import SkiffAPI
import SkiffClient
import Synchronization

/// The Services whose Service object or EndpointSlices the
/// informers saw change since the last sync began: what a partial sync needs to
/// compare. Unknown (nil) before the first sync, after a failed one and after a
/// relist, when everything must be compared.
final class ChangedServices: Sendable {
    private let keys = Mutex<Set<ServiceKey>?>(nil)

    func note(_ event: InformerEvent<Service>) {
        switch event {
        case .added(let service), .deleted(let service): note([ServiceKey(service.metadata)])
        case .updated(let old, let new): note([ServiceKey(old.metadata), ServiceKey(new.metadata)])
        case .synced: forget()
        }
    }

    func note(_ event: InformerEvent<EndpointSlice>) {
        switch event {
        case .added(let slice), .deleted(let slice): note([ServiceKey(of: slice)].compactMap { $0 })
        case .updated(let old, let new): note([ServiceKey(of: old), ServiceKey(of: new)].compactMap { $0 })
        case .synced: forget()
        }
    }

    /// The set so far, starting a new, empty one: taken before a sync reads the
    /// caches, so a change seen from then on is in the next sync's set even if this
    /// sync already has it (comparing it again is harmless).
    func take() -> Set<ServiceKey>? {
        keys.withLock { keys in
            defer { keys = [] }
            return keys
        }
    }

    /// Back to unknown: the next sync compares everything.
    func forget() { keys.withLock { $0 = nil } }

    private func note(_ changed: [ServiceKey]) { keys.withLock { $0?.formUnion(changed) } }
}
