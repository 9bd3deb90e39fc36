import SkiffAPI

extension ServiceAllocator {
    /// beginUpdate and allocateUpdate: before validation, keep what was allocated for
    /// a client that did not re-send it, keep clusterIP and clusterIPs in step, then
    /// take what the new type needs and mark what it no longer needs for release.
    ///
    /// - Parameter owner: the stored Service's identity (the request may omit its uid).
    func allocateUpdate(_ service: inout Service, old: Service, owner: AllocationRecord.Owner, dryRun: Bool)
        async throws(APIError) -> AllocationChanges
    {
        service.patchAllocatedValues(old: old)
        service.normalizeClusterIPs(old: old)
        try initIPFamilies(&service, old: old)
        var changes = AllocationChanges()
        do {
            try await updateClusterIPs(&service, old: old, owner: owner, dryRun: dryRun, into: &changes)
            try await updateNodePorts(&service, old: old, owner: owner, dryRun: dryRun, into: &changes)
        } catch {
            await changes.revert()
            throw error
        }
        return changes
    }

    /// updateClusterIPs on a single-stack cluster: from ExternalName a Service gets
    /// its cluster IP, to ExternalName it gives it back; otherwise the cluster IP is
    /// immutable and validation says so.
    func updateClusterIPs(
        _ service: inout Service, old: Service, owner: AllocationRecord.Owner, dryRun: Bool,
        into changes: inout AllocationChanges
    ) async throws(APIError) {
        if Self.keepsPreferDualStack(service, old: old) { return }
        if !old.needsClusterIP && service.needsClusterIP {
            try await allocateClusterIPs(&service, owner: owner, dryRun: dryRun, into: &changes)
            return
        }
        if old.isHeadlessService { return }
        if old.needsClusterIP && !service.needsClusterIP && !dryRun {
            for ip in old.spec.clusterIPs ?? [] { releaseOnCommit(ip: ip, owner: owner, into: &changes) }
        }
    }
}
