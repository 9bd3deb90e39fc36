import SkiffAPI

extension ResourceRegistry {
    /// `GET …/scale`: the workload's replicas as an autoscaling/v1 Scale, its
    /// selector as a string (what `kubectl scale` and the HPA read).
    public func getScale(namespace: String?, name: String) async throws(APIError) -> Scale {
        guard T.hasScaleSubresource else { throw .pathNotFound }
        return try Self.scale(of: try await get(namespace: namespace, name: name))
    }

    /// `PUT …/scale`: sets the desired replicas through the workload's own update
    /// (generation bump, validation). The Scale's resourceVersion, when set, must be
    /// the workload's (409), and its uid, when set, the workload's.
    public func updateScale(
        namespace: String?, name: String, _ scale: Scale, options: Registry.WriteOptions = Registry.WriteOptions()
    ) async throws(APIError) -> Scale {
        guard T.hasScaleSubresource else { throw .pathNotFound }
        try options.validate(as: "UpdateOptions")
        let own = scale.metadata.name ?? ""
        if !own.isEmpty && own != name {
            throw .badRequest("the name of the object (\(own)) does not match the name on the URL (\(name))")
        }
        let replicas = scale.spec.replicas ?? 0
        if replicas < 0 {
            throw .invalid(
                kind: Scale.kind, group: "autoscaling", name: name,
                errors: [.invalid(FieldPath("spec", "replicas"), .int(Int64(replicas)), "must be greater than or equal to 0")])
        }
        let result = try await guaranteedUpdate(
            namespace: T.namespaced ? namespace : nil, name: name, dryRun: options.isDryRun
        ) { (existing: T, _: inout AllocationChanges) throws(APIError) -> T in
            if let uid = scale.metadata.uid, !uid.isEmpty, uid != existing.metadata.uid {
                throw .conflict(
                    resource: T.resource, group: T.group, name: name,
                    why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(existing.metadata.uid ?? "")")
            }
            var updated = existing
            updated.setDesiredReplicas(replicas)
            updated.metadata.resourceVersion = (scale.metadata.resourceVersion ?? "").isEmpty
                ? nil : scale.metadata.resourceVersion
            return try self.prepareUpdate(updated, existing: existing, subresource: nil)
        }
        return try Self.scale(of: result.object)
    }

    /// scaleFromDeployment and friends.
    static func scale(of object: T) throws(APIError) -> Scale {
        guard let state = object.scaleState else { throw .pathNotFound }
        var scale = Scale()
        scale.setTypeMeta()
        scale.metadata.name = object.metadata.name
        scale.metadata.namespace = object.metadata.namespace
        scale.metadata.uid = object.metadata.uid
        scale.metadata.resourceVersion = object.metadata.resourceVersion
        scale.metadata.creationTimestamp = object.metadata.creationTimestamp
        scale.spec.replicas = state.desired ?? 0
        scale.status.replicas = state.current
        scale.status.selector = state.selector
        return scale
    }
}
