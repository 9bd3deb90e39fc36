import SkiffAPI

/// The generic store's BeginCreate, BeginUpdate and AfterDelete hooks: what a
/// kind's writes need beyond the object's own key. Today that is the cluster IPs
/// and node ports of Services (``ServiceAllocator``); every other kind passes through.
extension ResourceRegistry {
    var serviceAllocator: ServiceAllocator { ServiceAllocator(store: store, context: context) }

    /// Before validation of a new object whose uid is set: takes what it needs.
    func beginCreate(_ object: inout T, dryRun: Bool) async throws(APIError) -> AllocationChanges {
        guard var service = object as? Service else { return .none }
        let changes = try await serviceAllocator.allocateCreate(&service, dryRun: dryRun)
        object = service as! T
        return changes
    }

    /// Before validation of an update of the main resource: takes what the new
    /// state needs and marks what the old one held for release.
    func beginUpdate(_ object: inout T, old: T, dryRun: Bool) async throws(APIError) -> AllocationChanges {
        guard var service = object as? Service, let oldService = old as? Service else { return .none }
        let changes = try await serviceAllocator.allocateUpdate(
            &service, old: oldService, owner: AllocationRecord.Owner(of: oldService), dryRun: dryRun)
        object = service as! T
        return changes
    }

    /// After an object is gone from the store: gives back what it held.
    func afterDelete(_ object: T, dryRun: Bool) async {
        guard !dryRun, let service = object as? Service else { return }
        await serviceAllocator.releaseAll(of: service)
    }
}
