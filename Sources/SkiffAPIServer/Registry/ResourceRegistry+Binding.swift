import SkiffAPI

extension ResourceRegistry where T == Pod {
    /// `POST pods/<name>/binding`: assigns an unscheduled pod to a node (what the
    /// scheduler does), merges the binding's annotations into the pod and marks it
    /// PodScheduled. Returns the Success `Status` upstream answers with (201).
    ///
    /// 409 Conflict on `pods/binding` when the pod already has a node, is being
    /// deleted or still has scheduling gates; the binding's uid and resourceVersion,
    /// when set, are preconditions on the pod.
    public func bind(
        namespace: String?, name: String, _ binding: Binding,
        options: Registry.WriteOptions = Registry.WriteOptions()
    ) async throws(APIError) -> Status {
        try options.validate(as: "CreateOptions")
        var binding = binding
        try Namespacing.ensure(&binding, requestNamespace: namespace)
        guard binding.metadata.name == name else {
            throw .badRequest("name in URL does not match name in Binding object")
        }
        let errors = Self.validateBinding(binding)
        if !errors.isEmpty { throw .invalid(kind: Binding.kind, group: "", name: name, errors: errors) }
        let node = binding.target.name ?? ""
        let now = context.now().truncatedToSeconds
        _ = try await guaranteedUpdate(
            namespace: binding.metadata.namespace, name: name, dryRun: options.isDryRun
        ) { (pod: Pod, _: inout AllocationChanges) throws(APIError) -> Pod in
            try Self.checkBindingPreconditions(binding, pod: pod)
            func refuse(_ why: String) -> APIError {
                .conflict(resource: "pods/binding", group: "", name: name, why: why)
            }
            if pod.metadata.deletionTimestamp != nil { throw refuse("pod \(name) is being deleted, cannot be assigned to a host") }
            if let assigned = pod.spec.nodeName, !assigned.isEmpty {
                throw refuse("pod \(name) is already assigned to node \(GoText.quote(assigned))")
            }
            if !(pod.spec.schedulingGates ?? []).isEmpty { throw refuse("pod \(name) has non-empty .spec.schedulingGates") }
            var bound = pod
            bound.spec.nodeName = node
            if let annotations = binding.metadata.annotations, !annotations.isEmpty {
                bound.metadata.annotations = (bound.metadata.annotations ?? [:]).merging(annotations) { $1 }
            }
            Self.setScheduled(&bound.status, now: now)
            return bound
        }
        var status = Status()
        status.setTypeMeta()
        status.status = Status.success
        status.code = 201
        return status
    }

    /// ValidatePodBinding: a target node by name.
    static func validateBinding(_ binding: Binding) -> [FieldError] {
        var errors: [FieldError] = []
        let kind = binding.target.kind ?? ""
        if !kind.isEmpty && kind != "Node" {
            errors.append(.notSupported(FieldPath("target", "kind"), .string(kind), supported: ["Node", "<empty>"]))
        }
        if (binding.target.name ?? "").isEmpty { errors.append(.required(FieldPath("target", "name"))) }
        return errors
    }

    /// The binding's metadata guards the pod it names (storage preconditions).
    static func checkBindingPreconditions(_ binding: Binding, pod: Pod) throws(APIError) {
        let name = pod.metadata.name ?? ""
        if let uid = binding.metadata.uid, !uid.isEmpty, uid != pod.metadata.uid {
            throw .conflict(
                resource: "pods", group: "", name: name,
                why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(pod.metadata.uid ?? "")")
        }
        if let version = binding.metadata.resourceVersion, !version.isEmpty, version != pod.metadata.resourceVersion {
            throw .conflict(
                resource: "pods", group: "", name: name,
                why: "Precondition failed: ResourceVersion in precondition: \(version), "
                    + "ResourceVersion in object meta: \(pod.metadata.resourceVersion ?? "")")
        }
    }

    /// UpdatePodCondition(PodScheduled=True): the transition time moves only when the status does.
    static func setScheduled(_ status: inout PodStatus, now: Time) {
        var conditions = status.conditions ?? []
        if let index = conditions.firstIndex(where: { $0.type == "PodScheduled" }) {
            if conditions[index].status != "True" {
                conditions[index].status = "True"
                conditions[index].lastTransitionTime = now
            }
            conditions[index].reason = nil
            conditions[index].message = nil
            conditions[index].lastProbeTime = nil
        } else {
            conditions.append(PodCondition(type: "PodScheduled", status: "True", lastTransitionTime: now))
        }
        status.conditions = conditions
    }
}
