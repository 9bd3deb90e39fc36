import SkiffAPI

/// The values `fieldRef` may name (the downward API), from the pod as the kubelet
/// knows it when it starts the container.
enum PodFieldPaths {
    static func value(_ fieldPath: String, of pod: Pod) throws(ContainerConfigError) -> String {
        let metadata = pod.metadata
        switch fieldPath {
        case "metadata.name": return metadata.name ?? ""
        case "metadata.namespace": return metadata.namespace ?? ""
        case "metadata.uid": return metadata.uid ?? ""
        case "spec.nodeName": return pod.spec.nodeName ?? ""
        case "spec.serviceAccountName": return pod.spec.serviceAccountName ?? ""
        case "status.hostIP": return pod.status.hostIP ?? ""
        case "status.hostIPs": return (pod.status.hostIPs ?? []).map(\.ip).joined(separator: ",")
        case "status.podIP": return pod.status.podIP ?? ""
        case "status.podIPs": return (pod.status.podIPs ?? []).map(\.ip).joined(separator: ",")
        default:
            if let key = mapKey(fieldPath, of: "metadata.labels") { return metadata.labels?[key] ?? "" }
            if let key = mapKey(fieldPath, of: "metadata.annotations") { return metadata.annotations?[key] ?? "" }
            throw ContainerConfigError("unsupported fieldRef fieldPath \(fieldPath)")
        }
    }

    /// `metadata.labels['app']` → `app`.
    private static func mapKey(_ path: String, of field: String) -> String? {
        let prefix = field + "['"
        guard path.hasPrefix(prefix), path.hasSuffix("']") else { return nil }
        return String(path.dropFirst(prefix.count).dropLast(2))
    }
}
