import SkiffAPI

/// Upstream's endpointslice Reconciler as a pure function: given a service, the
/// pods its selector matches and the slices this controller already keeps for
/// it, the creates, updates and deletes that make the slices show those pods.
/// It changes as little as it can — endpoints stay in their slices, a slice is
/// written only when its endpoints, ports or labels differ, and new endpoints
/// go first into slices that are being written anyway.
struct SliceReconciler {
    var maxEndpointsPerSlice = EndpointSliceController.defaultMaxEndpointsPerSlice

    /// Reconcile: per address type the service supports; slices of a type it no
    /// longer has go.
    func plan(service: Service, pods: [Pod], existing: [EndpointSlice], node: (String) -> Node?) -> SlicePlan {
        var plan = SlicePlan()
        let types = SliceEndpoints.addressTypes(of: service)
        for slice in existing where !types.contains(slice.addressType) { plan.delete.append(slice) }
        for addressType in types {
            var part = planAddressType(
                addressType, service: service, pods: pods, existing: existing.filter { $0.addressType == addressType },
                node: node)
            part.reuseDeletedSlices(ownedBy: service)
            plan.create += part.create
            plan.update += part.update
            plan.delete += part.delete
            plan.podsWithUnknownNodes += part.podsWithUnknownNodes
        }
        if service.metadata.deletionTimestamp != nil { plan.create = [] }
        plan.podsWithUnknownNodes = Array(Set(plan.podsWithUnknownNodes)).sorted()
        return plan
    }

    /// reconcileByAddressType: group the desired endpoints by the ports their pods
    /// resolve, reconcile each group with the existing slices of the same ports,
    /// delete slices of port sets no pod has any more, and keep one empty
    /// placeholder slice when there would be none at all.
    private func planAddressType(
        _ addressType: String, service: Service, pods: [Pod], existing: [EndpointSlice], node: (String) -> Node?
    ) -> SlicePlan {
        var plan = SlicePlan()
        var existingByPorts: [PortsKey: [EndpointSlice]] = [:]
        for slice in existing.sorted(by: { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }) {
            if SliceLabels.isOwned(slice, by: service) {
                existingByPorts[PortsKey(slice.ports), default: []].append(slice)
            } else {
                // Left by an earlier service of the same name.
                plan.delete.append(slice)
            }
        }
        var desiredPorts: [PortsKey: [EndpointSlicePort]] = [:]
        var desired: [PortsKey: [Endpoint]] = [:]
        let sortedPods = pods.sorted { ($0.metadata.name ?? "") < ($1.metadata.name ?? "") }
        for pod in sortedPods where pod.belongsInEndpoints(includeTerminating: true) {
            let ports = SliceEndpoints.ports(of: service, on: pod)
            let key = PortsKey(ports)
            if desiredPorts[key] == nil { desiredPorts[key] = ports }
            if desired[key] == nil { desired[key] = [] }
            let known = node(pod.spec.nodeName ?? "")
            if known == nil && service.spec.publishNotReadyAddresses != true {
                // As upstream: leave a pod whose node is unknown out (the pod GC will
                // remove it if the node is gone for good) and look again later.
                plan.podsWithUnknownNodes.append(pod.metadata.name ?? "")
                continue
            }
            let endpoint = SliceEndpoints.endpoint(for: pod, node: known, service: service, addressType: addressType)
            if !endpoint.addresses.isEmpty { desired[key]?.append(endpoint) }
        }
        for (key, endpoints) in desired.sorted(by: { Self.order($0.key, $1.key) }) {
            let part = planPorts(
                service: service, addressType: addressType, ports: desiredPorts[key] ?? [],
                existing: existingByPorts[key] ?? [], desired: endpoints)
            plan.create += part.create
            plan.update += part.update
            plan.delete += part.delete
        }
        for (key, slices) in existingByPorts where desired[key] == nil { plan.delete += slices }
        if existing.count == plan.delete.count && plan.create.isEmpty {
            let placeholder = SliceLabels.newSlice(for: service, addressType: addressType, ports: [])
            if plan.delete.count == 1 && SliceLabels.isPlaceholder(plan.delete[0], like: placeholder) {
                plan.delete = []
            } else {
                plan.create.append(placeholder)
            }
        }
        return plan
    }

    /// A stable order of port groups, so plans do not depend on hashing.
    private static func order(_ a: PortsKey, _ b: PortsKey) -> Bool {
        func text(_ key: PortsKey) -> String {
            key.ports.map { "\($0.name ?? "")/\($0.protocol ?? "")/\($0.port ?? 0)" }.sorted().joined(separator: ",")
        }
        return text(a) < text(b)
    }
}
