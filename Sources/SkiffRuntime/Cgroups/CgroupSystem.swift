/// The kernel interfaces the cgroup code touches: cgroupfs files and directories, and
/// signals. The host implementation makes the system calls; tests put a fake kernel
/// behind it (a temporary directory that behaves like cgroupfs) so nothing needs root.
///
/// Failing calls throw `CgroupError` with code `.systemCall`, the path and the errno,
/// so callers can tell `EEXIST`, `ENOENT` and `EBUSY` apart.
protocol CgroupSystem: Sendable {
    func read(_ path: String) throws(CgroupError) -> String
    /// Writes `value` in one `write(2)`, as cgroupfs expects; the file must exist.
    func write(_ value: String, to path: String) throws(CgroupError)
    func exists(_ path: String) -> Bool
    func makeDirectory(_ path: String) throws(CgroupError)
    func removeDirectory(_ path: String) throws(CgroupError)
    /// Names of the directories directly inside `path`: child cgroups.
    func subdirectories(of path: String) throws(CgroupError) -> [String]
    func send(signal: Int32, to pid: Int32) throws(CgroupError)
}
