#if canImport(Glibc)
import Glibc
#endif

extension Cgroup {
    /// Removes this cgroup and any below it, leaf to top, in every hierarchy. Throws
    /// `.processesRemain` (and removes nothing) while processes are still inside; a
    /// directory already gone in some hierarchy is fine (a half-made cgroup).
    public func remove() throws(CgroupError) {
        let remaining = try processes()
        guard remaining.isEmpty else {
            throw CgroupError(
                .processesRemain, "cgroup \(path) still holds processes \(remaining)", path: directories.first)
        }
        for directory in directories {
            try removeTree(directory)
        }
    }

    private func removeTree(_ directory: String) throws(CgroupError) {
        let children: [String]
        do throws(CgroupError) {
            children = try system.subdirectories(of: directory)
        } catch where error.errno == ENOENT {
            return
        }
        for child in children {
            try removeTree(directory + "/" + child)
        }
        do throws(CgroupError) {
            try system.removeDirectory(directory)
        } catch where error.errno == ENOENT {
        } catch where error.errno == EBUSY {
            throw CgroupError(.processesRemain, "cgroup \(path) is still in use", path: directory, errno: EBUSY)
        }
    }
}
