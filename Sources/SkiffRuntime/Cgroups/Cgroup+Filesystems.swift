/// The cgroup filesystems a container sees at /sys/fs/cgroup, as runc mounts them: on
/// a pure v2 host cgroup2 itself; on a hybrid host a tmpfs holding each hierarchy the
/// container joined, under the name the host mounts it by. Inside the container's
/// cgroup namespace each shows the container's own cgroup as its root, so programs
/// that read their limits there (JVMs, Go's runtime) find them.
extension Cgroup {
    public var filesystems: [CgroupFilesystem] {
        guard !layout.v1.isEmpty else {
            return layout.unified == nil ? [] : [CgroupFilesystem(name: "", type: "cgroup2", options: nil)]
        }
        var result: [CgroupFilesystem] = []
        for hierarchy in layout.hierarchies {
            let name = hierarchy.mountPoint.split(separator: "/").last.map(String.init) ?? ""
            if hierarchy == layout.unified {
                result.append(CgroupFilesystem(name: name, type: "cgroup2", options: nil))
            } else {
                result.append(CgroupFilesystem(name: name, type: "cgroup", options: hierarchy.controllers.sorted().joined(separator: ",")))
            }
        }
        return result
    }
}

/// One cgroup filesystem to mount in a container, at /sys/fs/cgroup/`name`.
public struct CgroupFilesystem: Codable, Sendable, Hashable {
    /// Empty: /sys/fs/cgroup itself (pure cgroup v2).
    public var name: String
    /// `cgroup2`, or `cgroup` for a v1 hierarchy.
    public var type: String
    /// A v1 hierarchy's controllers, e.g. `memory` or `cpu,cpuacct`.
    public var options: String?
}
