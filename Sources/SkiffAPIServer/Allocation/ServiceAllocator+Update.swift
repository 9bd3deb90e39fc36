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

    /// updateClusterIPs: from ExternalName a Service gets its cluster IPs, to
    /// ExternalName it gives them back; a Service whose families grow from one to
    /// two (to PreferDualStack or RequireDualStack on a dual-stack cluster) gets its
    /// secondary cluster IP, and one shrinking to SingleStack gives the secondary
    /// back once the write lands. The primary cluster IP is immutable and
    /// validation says so.
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
        if old.needsClusterIP && !service.needsClusterIP {
            if !dryRun { for ip in old.spec.clusterIPs ?? [] { releaseOnCommit(ip: ip, owner: owner, into: &changes) } }
            return
        }
        let oldFamilies = old.spec.ipFamilies ?? []
        let families = service.spec.ipFamilies ?? []
        if oldFamilies.count == 1 && families.count == 2 {
            try await allocateSecondaryClusterIP(&service, owner: owner, dryRun: dryRun, into: &changes)
        } else if oldFamilies.count == 2 && families.count == 1, let secondary = old.spec.clusterIPs?.dropFirst().first {
            if !dryRun { releaseOnCommit(ip: secondary, owner: owner, into: &changes) }
        }
    }

    /// The upgrade to dual-stack: the secondary cluster IP named in `clusterIPs[1]`, else a free one.
    private func allocateSecondaryClusterIP(
        _ service: inout Service, owner: AllocationRecord.Owner, dryRun: Bool, into changes: inout AllocationChanges
    ) async throws(APIError) {
        // Without a primary cluster IP there is nothing to pair with; validation refuses the update.
        guard let family = service.spec.ipFamilies?.last, var ips = service.spec.clusterIPs, !ips.isEmpty else { return }
        if ips.count < 2 { ips.append("") }
        ips[1] = try await allocateIP(requested: ips[1], family: family, for: service, owner: owner, dryRun: dryRun, into: &changes)
        service.spec.clusterIPs = ips
    }
}
