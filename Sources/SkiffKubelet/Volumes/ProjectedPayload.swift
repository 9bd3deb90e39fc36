import SkiffAPI

/// Several sources in one directory: upstream's projected collectData. Sources are
/// merged in order (a later file of the same path wins); every source is tried and
/// the errors come back together. Service account tokens and cluster trust bundles
/// need the TokenRequest and ClusterTrustBundle APIs, which Skiff does not serve yet.
enum ProjectedPayload {
    static func make(
        _ projected: ProjectedVolumeSource, pod: Pod, source: any PodConfigSource, nodeAllocatable: ResourceList
    ) async throws(VolumeError) -> VolumePayload {
        let namespace = pod.metadata.namespace ?? "default"
        let defaultMode = projected.defaultMode ?? defaultVolumeFileMode
        var payload: VolumePayload = [:]
        var errors: [VolumeError] = []
        for projection in projected.sources {
            do throws(VolumeError) {
                let part: VolumePayload
                if let reference = projection.secret {
                    let optional = reference.optional ?? false
                    let secret = try await source.volumeSecret(namespace: namespace, name: reference.name ?? "", optional: optional)
                    part = try SecretPayload.make(items: reference.items, secret: secret, defaultMode: defaultMode, optional: optional)
                } else if let reference = projection.configMap {
                    let optional = reference.optional ?? false
                    let map = try await source.volumeConfigMap(namespace: namespace, name: reference.name ?? "", optional: optional)
                    part = try ConfigMapPayload.make(items: reference.items, configMap: map, defaultMode: defaultMode, optional: optional)
                } else if let downward = projection.downwardAPI {
                    part = try DownwardAPIPayload.make(
                        items: downward.items, pod: pod, defaultMode: defaultMode, nodeAllocatable: nodeAllocatable)
                } else if projection.serviceAccountToken != nil {
                    throw VolumeError(.unsupported, "serviceAccountToken projections are not supported on this node")
                } else if projection.clusterTrustBundle != nil {
                    throw VolumeError(.unsupported, "clusterTrustBundle projections are not supported on this node")
                } else {
                    part = [:]
                }
                payload.merge(part) { $1 }
            } catch {
                errors.append(error)
            }
        }
        if let error = VolumeError.aggregate(errors) { throw error }
        return payload
    }
}
