import SkiffAPI
import SkiffClient
import Synchronization

/// Each Service's EndpointSlices, kept from the slice informer's changes, so that
/// a sync rebuilding one Service finds its slices without a walk over all of them.
final class SliceIndex: Sendable {
    private let slices = Mutex<[ServiceKey: [String: EndpointSlice]]>([:])

    func note(_ event: InformerEvent<EndpointSlice>) {
        switch event {
        case .added(let slice): insert(slice)
        case .updated(let old, let new):
            remove(old)
            insert(new)
        case .deleted(let slice): remove(slice)
        // A relist reports what it found different as the events above, before this.
        case .synced: break
        }
    }

    /// The slices labelled with Service `key`, by name.
    func slices(of key: ServiceKey) -> [EndpointSlice] {
        let byName = slices.withLock { $0[key] ?? [:] }
        return byName.sorted { $0.key < $1.key }.map(\.value)
    }

    private func insert(_ slice: EndpointSlice) {
        guard let key = ServiceKey(of: slice) else { return }
        slices.withLock { $0[key, default: [:]][slice.metadata.name ?? ""] = slice }
    }

    private func remove(_ slice: EndpointSlice) {
        guard let key = ServiceKey(of: slice) else { return }
        slices.withLock { slices in
            slices[key]?[slice.metadata.name ?? ""] = nil
            if slices[key]?.isEmpty ?? false { slices[key] = nil }
        }
    }
}
