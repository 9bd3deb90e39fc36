/// What a container sees at /sys/fs/cgroup: its own cgroup directory in each hierarchy
/// it joined, bound read-only — on a pure v2 host at /sys/fs/cgroup itself, on a hybrid
/// host at /sys/fs/cgroup/<name the host mounts it by> inside a tmpfs. Programs that
/// read their limits there (JVMs, Go's runtime) find them. Binding the host's
/// directories gives the same view as mounting cgroupfs in the container's cgroup
/// namespace, at a tenth of the cost (a v1 cgroup mount takes ~2 ms here).
extension Cgroup {
    public var filesystems: [CgroupFilesystem] {
        guard !layout.v1.isEmpty else {
            return layout.unified.map { [CgroupFilesystem(name: "", source: directory(in: $0))] } ?? []
        }
        return layout.hierarchies.map { hierarchy in
            CgroupFilesystem(
                name: hierarchy.mountPoint.split(separator: "/").last.map(String.init) ?? "", source: directory(in: hierarchy))
        }
    }
}

/// One cgroup directory to bind in a container, at /sys/fs/cgroup/`name`.
public struct CgroupFilesystem: Codable, Sendable, Hashable {
    /// Empty: /sys/fs/cgroup itself (pure cgroup v2).
    public var name: String
    /// The container's cgroup directory on the host.
    public var source: String
}
