import SkiffAPI
import SkiffStore

/// Mutating admission, between defaulting and the registry's own preparation and
/// validation, as upstream's handler runs the admission chain before the storage
/// does. NamespaceLifecycle, a validating plugin, is ``admitCreate(_:)``.
extension ResourceRegistry {
    /// The mutating plugins of a create: ServiceAccount and DefaultTolerationSeconds on pods.
    func mutateForCreate(_ object: inout T) async throws(APIError) {
        guard var pod = object as? Pod else { return }
        let namespace = pod.metadata.namespace
        try await PodAdmission.admitServiceAccount(&pod) { (name: String) throws(APIError) -> ServiceAccount? in
            try await self.serviceAccount(namespace: namespace, name: name)
        }
        PodAdmission.addDefaultTolerations(&pod)
        object = pod as! T
    }

    /// The mutating plugins of an update of the main resource: DefaultTolerationSeconds on pods.
    func mutateForUpdate(_ object: T) -> T {
        guard var pod = object as? Pod else { return object }
        PodAdmission.addDefaultTolerations(&pod)
        return pod as! T
    }

    private func serviceAccount(namespace: String?, name: String) async throws(APIError) -> ServiceAccount? {
        guard !name.isEmpty else { return nil }
        let key = RegistryKey(type: ServiceAccount.self, namespace: namespace, name: name).description
        guard let kv = try await attempt(name: name, { try await store.get(key).kv }) else { return nil }
        return try StoredObjects.decode(ServiceAccount.self, from: kv)
    }
}
