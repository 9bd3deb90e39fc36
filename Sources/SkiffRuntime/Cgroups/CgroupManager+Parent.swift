#if canImport(Glibc)
import Glibc
#endif

/// The parent cgroup every pod nests under, and on v2 the controllers it hands down.
extension CgroupManager {
    /// Creates each component of the parent in every hierarchy (existing ones are fine),
    /// and on v2 enables Skiff's controllers from the agent's cgroup down to the parent.
    func prepareParent() throws(CgroupError) {
        let components = parent.split(separator: "/").map(String.init)
        for hierarchy in layout.hierarchies {
            var directory = hierarchy.baseDirectory
            let isUnified = hierarchy == layout.unified
            if isUnified {
                try enableControllersInBase(directory)
            }
            for component in components {
                directory += "/" + component
                do throws(CgroupError) {
                    try system.makeDirectory(directory)
                } catch where error.errno == EEXIST {}
                if isUnified {
                    try enableControllers(in: directory)
                }
            }
        }
    }

    /// Enables the v2 controllers Skiff uses in `directory`'s `cgroup.subtree_control`,
    /// writing only those still missing.
    func enableControllers(in directory: String) throws(CgroupError) {
        let file = directory + "/cgroup.subtree_control"
        let enabled = Set(try system.read(file).split(whereSeparator: \.isWhitespace).map(String.init))
        let missing = layout.unifiedControllers.map(\.rawValue).filter { !enabled.contains($0) }
        guard !missing.isEmpty else { return }
        try system.write(missing.map { "+" + $0 }.joined(separator: " "), to: file)
    }

    /// The agent's own v2 cgroup may hold processes (the agent itself), and a non-root
    /// cgroup with processes cannot enable controllers for children (EBUSY). As k3s and
    /// docker-in-docker do, its processes then move into a leaf of it, `skiff-agent`:
    /// still inside the agent's subtree, and `detect()` nests beside that leaf after a restart.
    private func enableControllersInBase(_ base: String) throws(CgroupError) {
        do throws(CgroupError) {
            try enableControllers(in: base)
            return
        } catch where error.errno == EBUSY {}
        let leaf = base + "/" + Self.agentLeaf
        do throws(CgroupError) {
            try system.makeDirectory(leaf)
        } catch where error.errno == EEXIST {}
        // Processes may fork while we move them; a few rounds catch the children.
        for _ in 0..<10 {
            let pids = try system.read(base + "/cgroup.procs").split(whereSeparator: \.isNewline)
            if pids.isEmpty { break }
            for pid in pids {
                do throws(CgroupError) {
                    try system.write(String(pid), to: leaf + "/cgroup.procs")
                } catch where error.errno == ESRCH {}
            }
        }
        try enableControllers(in: base)
    }
}
