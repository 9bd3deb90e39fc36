import SkiffAPI

/// The Service fields the allocators own and the rules upstream's service REST and
/// strategy apply to them around a write (normalizeClusterIPs,
/// patchAllocatedValues, dropTypeDependentFields).
extension Service {
    /// Every type but ExternalName has a cluster IP, or "None".
    var needsClusterIP: Bool { spec.type != ServiceType.externalName }

    /// NodePort and LoadBalancer Services are reachable on node ports.
    var needsNodePorts: Bool { spec.type == ServiceType.nodePort || spec.type == ServiceType.loadBalancer }

    /// A LoadBalancer keeping client addresses (`externalTrafficPolicy: Local`) gets a health check port.
    var needsHealthCheckNodePort: Bool {
        spec.type == ServiceType.loadBalancer && spec.externalTrafficPolicy == "Local"
    }

    /// Whether ports without a nodePort get one (a LoadBalancer may opt out).
    var allocatesNodePorts: Bool {
        spec.type == ServiceType.nodePort
            || (spec.type == ServiceType.loadBalancer && spec.allocateLoadBalancerNodePorts != false)
    }

    /// `clusterIPs: ["None"]`: headless, nothing allocated.
    var isHeadlessService: Bool { spec.clusterIPs?.first == "None" }

    /// The node ports the Service holds, its health check port aside.
    var heldNodePorts: [Int32] { (spec.ports ?? []).compactMap { $0.nodePort }.filter { $0 != 0 } }

    /// normalizeClusterIPs: an old client writes only `clusterIP`; keep `clusterIPs` in step.
    mutating func normalizeClusterIPs(old: Service?) {
        let clusterIP = spec.clusterIP ?? ""
        guard let old else {
            if !clusterIP.isEmpty, (spec.clusterIPs ?? []).isEmpty { spec.clusterIPs = [clusterIP] }
            return
        }
        let oldClusterIP = old.spec.clusterIP ?? ""
        if !(old.spec.clusterIPs ?? []).isEmpty, (spec.clusterIPs ?? []).isEmpty, oldClusterIP == clusterIP {
            spec.clusterIPs = old.spec.clusterIPs
        }
        guard oldClusterIP != clusterIP else { return }
        let sameList = (old.spec.clusterIPs ?? []) == (spec.clusterIPs ?? [])
        if !oldClusterIP.isEmpty, clusterIP.isEmpty {
            if sameList { spec.clusterIPs = nil }
        } else if sameList {
            spec.clusterIPs = [clusterIP]
        }
    }

    /// patchAllocatedValues: a client re-sending its original manifest (no clusterIP,
    /// no nodePorts) keeps what was allocated for it instead of failing validation.
    mutating func patchAllocatedValues(old: Service) {
        if old.needsClusterIP && needsClusterIP {
            if (spec.clusterIP ?? "").isEmpty { spec.clusterIP = old.spec.clusterIP }
            if (spec.clusterIPs ?? []).isEmpty, !(old.spec.clusterIPs ?? []).isEmpty { spec.clusterIPs = old.spec.clusterIPs }
        }
        if old.needsNodePorts && needsNodePorts, var ports = spec.ports {
            let used = Set(old.heldNodePorts).intersection(heldNodePorts)
            var byName: [String: Int32] = [:]
            for port in old.spec.ports ?? [] { byName[port.name ?? ""] = port.nodePort ?? 0 }
            for index in ports.indices where (ports[index].nodePort ?? 0) == 0 {
                let previous = byName[ports[index].name ?? ""] ?? 0
                if previous != 0, !used.contains(previous) { ports[index].nodePort = previous }
            }
            spec.ports = ports
        }
        if old.needsHealthCheckNodePort && needsHealthCheckNodePort, (spec.healthCheckNodePort ?? 0) == 0 {
            spec.healthCheckNodePort = old.spec.healthCheckNodePort
        }
    }

    /// dropTypeDependentFields: a type change clears the allocated fields the new type
    /// has no use for — unless the client changed them too, which validation then reports.
    mutating func dropTypeDependentFields(old: Service) {
        if old.needsClusterIP && !needsClusterIP {
            if old.spec.clusterIP == spec.clusterIP && (old.spec.clusterIPs ?? []) == (spec.clusterIPs ?? []) {
                spec.clusterIP = nil
                spec.clusterIPs = nil
            }
            if old.spec.ipFamilies == spec.ipFamilies { spec.ipFamilies = nil }
            if old.spec.ipFamilyPolicy == spec.ipFamilyPolicy { spec.ipFamilyPolicy = nil }
        }
        if old.needsNodePorts && !needsNodePorts && Set(old.heldNodePorts).isSuperset(of: heldNodePorts), var ports = spec.ports {
            for index in ports.indices { ports[index].nodePort = nil }
            spec.ports = ports
        }
        if old.needsHealthCheckNodePort && !needsHealthCheckNodePort && old.spec.healthCheckNodePort == spec.healthCheckNodePort {
            spec.healthCheckNodePort = nil
        }
        if old.spec.type == ServiceType.loadBalancer && spec.type != ServiceType.loadBalancer {
            if let allocate = spec.allocateLoadBalancerNodePorts, allocate == old.spec.allocateLoadBalancerNodePorts {
                spec.allocateLoadBalancerNodePorts = nil
            }
            if old.spec.loadBalancerClass == spec.loadBalancerClass { spec.loadBalancerClass = nil }
        }
        if old.isExternallyReachable && !isExternallyReachable && old.spec.externalTrafficPolicy == spec.externalTrafficPolicy {
            spec.externalTrafficPolicy = nil
        }
        if spec.type != ServiceType.loadBalancer { status.loadBalancer = LoadBalancerStatus() }
    }

    /// service.ExternallyAccessible.
    var isExternallyReachable: Bool {
        needsNodePorts || (spec.type == ServiceType.clusterIP && !(spec.externalIPs ?? []).isEmpty)
    }
}
