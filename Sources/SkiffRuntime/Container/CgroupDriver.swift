/// What the runtime needs from cgroups: a place for each container with its limits, a
/// way to end everything in it, and removal. `Cgroups/` implements it for v2 and for
/// hybrid hosts; tests may run containers without one.
public protocol CgroupDriver: Sendable {
    /// Creates the container's cgroup under `group` (e.g. `pod-<uid>`) with the limits.
    func create(group: String?, container: String, resources: ContainerResources) throws(RuntimeError) -> CgroupAttachment
    /// SIGKILL to every process in the container's cgroup.
    func kill(group: String?, container: String) throws(RuntimeError)
    /// Removes the container's cgroup (and `group` when it is left empty).
    func remove(group: String?, container: String) throws(RuntimeError)
}
