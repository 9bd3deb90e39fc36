/// Where a pod's volumes live on the host, as upstream lays them out:
/// `<pods>/<uid>/volumes/kubernetes.io~<plugin>/<volume name>`.
struct PodVolumeLayout: Sendable {
    /// The kubelet's volume plugins, by their directory (the plugin name with `/`
    /// escaped to `~`, upstream's EscapeQualifiedName).
    enum Plugin: String, Sendable, CaseIterable {
        case emptyDir = "kubernetes.io~empty-dir"
        case configMap = "kubernetes.io~configmap"
        case secret = "kubernetes.io~secret"
        case downwardAPI = "kubernetes.io~downward-api"
        case projected = "kubernetes.io~projected"
    }

    let podsDirectory: String

    func podDirectory(_ uid: String) -> String { "\(podsDirectory)/\(uid)" }

    func volumesDirectory(_ uid: String) -> String { "\(podDirectory(uid))/volumes" }

    func volumeDirectory(_ uid: String, _ plugin: Plugin, _ name: String) -> String {
        "\(volumesDirectory(uid))/\(plugin.rawValue)/\(name)"
    }

    /// Pod UIDs and volume names become single path components: no `/`, not `.` or `..`.
    static func validateComponent(_ name: String, what: String) throws(VolumeError) {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
            throw VolumeError(.invalidPath, "\(what) \"\(name)\" cannot be a directory name")
        }
    }
}
