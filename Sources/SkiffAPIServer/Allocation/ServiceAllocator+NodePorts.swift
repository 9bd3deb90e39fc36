import SkiffAPI

extension ServiceAllocator {
    /// initNodePorts: every port of a NodePort or LoadBalancer Service gets a node
    /// port — the one asked for, else a free one — and ports sharing a number (TCP
    /// and UDP 53) share one node port.
    func allocateNodePorts(
        _ service: inout Service, owner: AllocationRecord.Owner, dryRun: Bool, into changes: inout AllocationChanges
    ) async throws(APIError) {
        guard service.needsNodePorts, var ports = service.spec.ports else { return }
        var byServicePort: [Int32: Int32] = [:]
        for index in ports.indices {
            let requested = ports[index].nodePort ?? 0
            if requested == 0 && !service.allocatesNodePorts { continue }
            if let assigned = byServicePort[ports[index].port] {
                if requested == 0 {
                    ports[index].nodePort = assigned
                } else if requested != assigned {
                    try await claimNodePort(requested, index: index, for: service, owner: owner, dryRun: dryRun, into: &changes)
                }
                continue
            }
            let wanted = ports.first { $0.port == ports[index].port && ($0.nodePort ?? 0) != 0 }?.nodePort ?? 0
            if wanted != 0 {
                try await claimNodePort(wanted, index: index, for: service, owner: owner, dryRun: dryRun, into: &changes)
                ports[index].nodePort = wanted
            } else {
                guard let port = try await nextNodePort(owner: owner, dryRun: dryRun, into: &changes) else {
                    throw AllocationErrors.nodePortRangeFull
                }
                ports[index].nodePort = port
            }
            byServicePort[ports[index].port] = ports[index].nodePort
        }
        service.spec.ports = ports
    }

    /// allocHealthCheckNodePort: the requested health check port, else a free one.
    func allocateHealthCheckNodePort(
        _ service: inout Service, owner: AllocationRecord.Owner, dryRun: Bool, into changes: inout AllocationChanges
    ) async throws(APIError) {
        let requested = service.spec.healthCheckNodePort ?? 0
        guard requested == 0 else {
            // Upstream reports this one as an internal error carrying the allocator's reason.
            if let reason = try await takeNodePort(requested, owner: owner, dryRun: dryRun, into: &changes) {
                throw .internalError("failed to allocate requested HealthCheck NodePort \(requested): \(reason)")
            }
            return
        }
        guard let port = try await nextNodePort(owner: owner, dryRun: dryRun, into: &changes) else {
            throw .internalError("failed to allocate a HealthCheck NodePort 0: range is full")
        }
        service.spec.healthCheckNodePort = port
    }

    /// txnUpdateNodePorts: node ports follow the type; new ones are taken, ports the
    /// Service no longer lists and the health check port it no longer needs are
    /// given back once the update lands.
    func updateNodePorts(
        _ service: inout Service, old: Service, owner: AllocationRecord.Owner, dryRun: Bool,
        into changes: inout AllocationChanges
    ) async throws(APIError) {
        if old.needsNodePorts && !service.needsNodePorts && !dryRun {
            for port in old.heldNodePorts { releaseOnCommit(port: port, owner: owner, into: &changes) }
        }
        if service.needsNodePorts, var ports = service.spec.ports {
            let held = Set(old.heldNodePorts)
            var claimed = Set<Int32>()
            for index in ports.indices {
                let requested = ports[index].nodePort ?? 0
                if requested == 0 && !service.allocatesNodePorts { continue }
                if requested != 0 {
                    if !held.contains(requested) && !claimed.contains(requested) {
                        try await claimNodePort(requested, index: index, for: service, owner: owner, dryRun: dryRun, into: &changes)
                        claimed.insert(requested)
                    }
                } else {
                    guard let port = try await nextNodePort(owner: owner, dryRun: dryRun, into: &changes) else {
                        throw AllocationErrors.nodePortRangeFull
                    }
                    ports[index].nodePort = port
                }
            }
            service.spec.ports = ports
            let kept = Set(service.heldNodePorts)
            if !dryRun {
                for port in old.heldNodePorts where !kept.contains(port) { releaseOnCommit(port: port, owner: owner, into: &changes) }
            }
        }
        switch (old.needsHealthCheckNodePort, service.needsHealthCheckNodePort) {
        case (false, true):
            try await allocateHealthCheckNodePort(&service, owner: owner, dryRun: dryRun, into: &changes)
        case (true, false):
            if !dryRun, let port = old.spec.healthCheckNodePort, port > 0 {
                releaseOnCommit(port: port, owner: owner, into: &changes)
            }
        default:
            break
        }
    }
}
