/// One mounted cgroup hierarchy and where the agent sits in it.
public struct CgroupHierarchy: Equatable, Sendable {
    /// Where the hierarchy is mounted, e.g. `/sys/fs/cgroup/memory` or `/sys/fs/cgroup`.
    public var mountPoint: String
    /// For v1, the controllers bound to it (`cpu`, `memory`, …); for v2, those listed in
    /// the agent's `cgroup.controllers`.
    public var controllers: Set<String>
    /// The directory of the cgroup Skiff nests under: the agent's own cgroup in this
    /// hierarchy (on v2, the one it was started in, before any move into `skiff-agent`).
    public var baseDirectory: String

    public init(mountPoint: String, controllers: Set<String>, baseDirectory: String) {
        self.mountPoint = mountPoint
        self.controllers = controllers
        self.baseDirectory = baseDirectory
    }
}
