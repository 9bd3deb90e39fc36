import SkiffAPI

/// The ConfigMaps and Secrets volumes read, with upstream's rules for missing ones:
/// an optional one reads as empty, a required one is a FailedMount worded as the
/// kubelet's watch-based manager words it (`configmap "x" not found`).
extension PodConfigSource {
    func volumeConfigMap(namespace: String, name: String, optional: Bool) async throws(VolumeError) -> ConfigMap {
        let found: ConfigMap?
        do { found = try await configMap(namespace: namespace, name: name) } catch {
            throw VolumeError(.lookup, "couldn't get configmap \(namespace)/\(name): \(error)")
        }
        if let found { return found }
        if optional { return ConfigMap() }
        throw VolumeError(.notFound, "configmap \"\(name)\" not found")
    }

    func volumeSecret(namespace: String, name: String, optional: Bool) async throws(VolumeError) -> Secret {
        let found: Secret?
        do { found = try await secret(namespace: namespace, name: name) } catch {
            throw VolumeError(.lookup, "couldn't get secret \(namespace)/\(name): \(error)")
        }
        if let found { return found }
        if optional { return Secret() }
        throw VolumeError(.notFound, "secret \"\(name)\" not found")
    }
}
