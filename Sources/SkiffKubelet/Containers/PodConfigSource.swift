import SkiffAPI

/// Where the kubelet reads the ConfigMaps and Secrets a pod refers to (the API, through
/// the kubelet's cache; a dictionary in tests). nil means it does not exist.
public protocol PodConfigSource: Sendable {
    func configMap(namespace: String, name: String) async throws -> ConfigMap?
    func secret(namespace: String, name: String) async throws -> Secret?
}
