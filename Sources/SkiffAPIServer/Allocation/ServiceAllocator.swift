import SkiffAPI
import SkiffStore

/// Upstream's service `Allocators` (pkg/registry/core/service/storage/alloc.go) over
/// the store: the IP families, cluster IPs and node ports of a Service being
/// written. Every value taken is an ``AllocationPool`` key created before the
/// Service is stored; the returned ``AllocationChanges`` is how the registry gives
/// values back after the write (or after its failure).
///
/// One ``AllocationPool`` per service CIDR: a dual-stack cluster allocates each
/// family's cluster IP from its own range.
struct ServiceAllocator: Sendable {
    let network: ServiceNetwork
    let clusterIPPools: [ServiceIP.Family: AllocationPool]
    let nodePorts: AllocationPool
    let now: @Sendable () -> Time

    init(store: any Store, context: Registry.Context) {
        network = context.serviceNetwork
        var pools: [ServiceIP.Family: AllocationPool] = [:]
        for cidr in context.serviceNetwork.serviceCIDRs { pools[cidr.family] = .serviceIPs(cidr, store: store) }
        clusterIPPools = pools
        nodePorts = .nodePorts(context.serviceNetwork.nodePorts, store: store)
        now = context.now
    }

    /// The cluster's default family: the primary service CIDR's.
    var primaryFamily: ServiceIP.Family { network.serviceCIDR.family }

    /// allocateCreate: runs on a new Service with its uid set, before validation.
    /// A dry run checks and fills in the same values but takes none.
    func allocateCreate(_ service: inout Service, dryRun: Bool) async throws(APIError) -> AllocationChanges {
        service.normalizeClusterIPs(old: nil)
        try initIPFamilies(&service, old: nil)
        let owner = AllocationRecord.Owner(of: service)
        var changes = AllocationChanges()
        do {
            try await allocateClusterIPs(&service, owner: owner, dryRun: dryRun, into: &changes)
            try await allocateNodePorts(&service, owner: owner, dryRun: dryRun, into: &changes)
            if service.needsHealthCheckNodePort {
                try await allocateHealthCheckNodePort(&service, owner: owner, dryRun: dryRun, into: &changes)
            }
        } catch {
            await changes.revert()
            throw error
        }
        return changes
    }

    /// Fills `clusterIPs` (and `clusterIP`) for each of the Service's families,
    /// each from its family's pool: the requested address when it is in range and
    /// free, else a free one.
    func allocateClusterIPs(
        _ service: inout Service, owner: AllocationRecord.Owner, dryRun: Bool, into changes: inout AllocationChanges
    ) async throws(APIError) {
        guard service.needsClusterIP, !service.isHeadlessService else { return }
        var ips = service.spec.clusterIPs ?? []
        for (index, family) in (service.spec.ipFamilies ?? []).enumerated() {
            if index >= ips.count { ips.append("") }
            ips[index] = try await allocateIP(
                requested: ips[index], family: family, for: service, owner: owner, dryRun: dryRun, into: &changes)
        }
        service.spec.clusterIPs = ips
        service.spec.clusterIP = ips.first
    }

    /// Takes `requested` (or, when empty, any free address) from the pool of `family`.
    func allocateIP(
        requested: String, family: String, for service: Service, owner: AllocationRecord.Owner, dryRun: Bool,
        into changes: inout AllocationChanges
    ) async throws(APIError) -> String {
        // initIPFamilies refused families the cluster lacks; an unknown one cannot reach here.
        guard let family = ServiceIP.Family(rawValue: family), let cidr = network.serviceCIDR(for: family),
            let pool = clusterIPPools[family]
        else { throw .internalError("failed to allocate a serviceIP: \(family) is not configured on this cluster") }
        let record = AllocationRecord(service: owner, allocatedAt: now())
        guard !requested.isEmpty else {
            guard let offset = try await pool.claimNext(for: record, dryRun: dryRun) else {
                throw AllocationErrors.ipRangeFull
            }
            if !dryRun { changes.recordAllocated(offset, in: pool, for: owner) }
            return cidr.address(at: offset).description
        }
        guard let offset = ServiceIP(requested).flatMap(cidr.offset(of:)) else {
            throw AllocationErrors.clusterIP(service, ip: requested, reason: AllocationErrors.ipNotInRange(cidr))
        }
        guard try await pool.claim(offset, for: record, dryRun: dryRun) else {
            throw AllocationErrors.clusterIP(service, ip: requested, reason: AllocationErrors.ipAllocated)
        }
        if !dryRun { changes.recordAllocated(offset, in: pool, for: owner) }
        return requested
    }

    /// Takes a requested node port; `index` names the port in the 422.
    func claimNodePort(
        _ port: Int32, index: Int, for service: Service, owner: AllocationRecord.Owner, dryRun: Bool,
        into changes: inout AllocationChanges
    ) async throws(APIError) {
        if let reason = try await takeNodePort(port, owner: owner, dryRun: dryRun, into: &changes) {
            throw AllocationErrors.nodePort(service, index: index, port: port, reason: reason)
        }
    }

    /// Takes a requested node port; why it cannot, nil when taken.
    func takeNodePort(_ port: Int32, owner: AllocationRecord.Owner, dryRun: Bool, into changes: inout AllocationChanges)
        async throws(APIError) -> String?
    {
        guard network.nodePorts.ports.contains(Int(port)) else { return AllocationErrors.portNotInRange(network.nodePorts) }
        let offset = Int(port) - network.nodePorts.ports.lowerBound
        let record = AllocationRecord(service: owner, allocatedAt: now())
        guard try await nodePorts.claim(offset, for: record, dryRun: dryRun) else { return AllocationErrors.portAllocated }
        if !dryRun { changes.recordAllocated(offset, in: nodePorts, for: owner) }
        return nil
    }

    /// Takes any free node port; nil when the range is full.
    func nextNodePort(owner: AllocationRecord.Owner, dryRun: Bool, into changes: inout AllocationChanges)
        async throws(APIError) -> Int32?
    {
        let record = AllocationRecord(service: owner, allocatedAt: now())
        guard let offset = try await nodePorts.claimNext(for: record, dryRun: dryRun) else { return nil }
        if !dryRun { changes.recordAllocated(offset, in: nodePorts, for: owner) }
        return Int32(network.nodePorts.ports.lowerBound + offset)
    }

    /// Gives back, once the write lands, a cluster IP the Service no longer holds,
    /// to its family's pool; one of a family no longer configured has no pool to go back to.
    func releaseOnCommit(ip: String, owner: AllocationRecord.Owner, into changes: inout AllocationChanges) {
        guard let address = ServiceIP(ip), let cidr = network.serviceCIDR(for: address.family),
            let pool = clusterIPPools[address.family], let offset = cidr.offset(of: address)
        else { return }
        changes.releaseOnCommit(offset, in: pool, for: owner)
    }

    /// Gives back, once the write lands, a node port the Service no longer holds.
    func releaseOnCommit(port: Int32, owner: AllocationRecord.Owner, into changes: inout AllocationChanges) {
        guard network.nodePorts.ports.contains(Int(port)) else { return }
        changes.releaseOnCommit(Int(port) - network.nodePorts.ports.lowerBound, in: nodePorts, for: owner)
    }

    /// releaseAllocatedResources: after a Service is deleted, everything it held.
    func releaseAll(of service: Service) async {
        let owner = AllocationRecord.Owner(of: service)
        var changes = AllocationChanges()
        if service.needsClusterIP && !service.isHeadlessService {
            for ip in service.spec.clusterIPs ?? [] { releaseOnCommit(ip: ip, owner: owner, into: &changes) }
        }
        for port in service.heldNodePorts { releaseOnCommit(port: port, owner: owner, into: &changes) }
        if service.needsHealthCheckNodePort, let port = service.spec.healthCheckNodePort, port > 0 {
            releaseOnCommit(port: port, owner: owner, into: &changes)
        }
        await changes.commit()
    }
}
