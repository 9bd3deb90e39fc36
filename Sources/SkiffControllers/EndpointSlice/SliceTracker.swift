import SkiffAPI
import Synchronization

/// Upstream's EndpointSliceTracker: the generation of every slice this
/// controller wrote, per service, and the slices it deleted. A sync whose cache
/// does not show those writes yet would act on old slices (and, say, create a
/// second slice for the same pods), so it waits; and slice events that only
/// echo the controller's own writes do not wake the service again.
final class SliceTracker: Sendable {
    /// The generation recorded for a slice whose deletion is awaited.
    private static let deletionExpected: Int64 = -1
    /// Service key → slice uid → generation written.
    private let generations = Mutex([String: [String: Int64]]())

    /// Records a slice as the API returned it after a create or update.
    func written(_ slice: EndpointSlice, service key: String) {
        guard let uid = slice.metadata.uid else { return }
        generations.withLock { $0[key, default: [:]][uid] = slice.metadata.generation ?? 0 }
    }

    /// Records a slice this controller deleted.
    func deleted(_ slice: EndpointSlice, service key: String) {
        guard let uid = slice.metadata.uid else { return }
        generations.withLock { $0[key, default: [:]][uid] = Self.deletionExpected }
    }

    /// StaleSlices: whether the cached slices miss a write of ours (a slice we
    /// wrote absent or older, a slice we deleted still there).
    func isStale(_ cached: [EndpointSlice], service key: String) -> Bool {
        generations.withLock { generations in
            guard let known = generations[key] else { return false }
            var seen = Set<String>()
            for slice in cached {
                let uid = slice.metadata.uid ?? ""
                seen.insert(uid)
                if let generation = known[uid], generation == Self.deletionExpected || generation > (slice.metadata.generation ?? 0) {
                    return true
                }
            }
            return known.contains { $0.value != Self.deletionExpected && !seen.contains($0.key) }
        }
    }

    /// ShouldSync for an added or updated slice: not one of our own writes.
    func isForeignChange(_ slice: EndpointSlice, service key: String) -> Bool {
        generations.withLock { generations in
            guard let generation = generations[key]?[slice.metadata.uid ?? ""] else { return true }
            return (slice.metadata.generation ?? 0) > generation
        }
    }

    /// HandleDeletion: forgets a deleted slice; true when the controller did not
    /// delete it itself (someone else did, so the service needs a look).
    func deletionWasForeign(_ slice: EndpointSlice, service key: String) -> Bool {
        generations.withLock { generations in
            let uid = slice.metadata.uid ?? ""
            let generation = generations[key]?.removeValue(forKey: uid)
            return generation != Self.deletionExpected
        }
    }

    /// Forgets a service that is gone.
    func forget(service key: String) {
        generations.withLock { _ = $0.removeValue(forKey: key) }
    }
}
