/// The controllers Skiff uses. Others (cpuset, io, devices, …) are left alone: container
/// processes stay in the agent's own cgroup in those hierarchies.
public enum CgroupController: String, CaseIterable, Sendable {
    case cpu
    /// v1 only: CPU usage accounting (on v2, `cpu.stat` is always there).
    case cpuacct
    case memory
    case pids
    /// v1 only: the kill fallback freezes first (v2 has `cgroup.kill` and `cgroup.freeze` built in).
    case freezer

    /// The controllers that can be enabled in a v2 `cgroup.subtree_control`.
    static let unifiedCapable: [CgroupController] = [.cpu, .memory, .pids]
}
