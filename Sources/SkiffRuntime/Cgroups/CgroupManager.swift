#if canImport(Glibc)
import Glibc
#endif

/// Creates and finds the cgroups of pods and containers:
/// `<agent's cgroup>/<parent>/pod-<uid>/<container-id>` in every hierarchy of the host
/// layout. Nothing is created outside the cgroup the agent was started in.
public struct CgroupManager: Sendable {
    /// On pure v2, the leaf the agent's cgroup's processes move into so that its cgroup
    /// may enable controllers for its children (the "no internal processes" rule).
    public static let agentLeaf = "skiff-agent"

    public let layout: CgroupHostLayout
    /// Relative to the agent's cgroup, e.g. `skiff`.
    public let parent: String
    let system: any CgroupSystem

    /// A manager for this host, nesting under `parent`.
    public init(parent: String = RuntimeDefaults.cgroupParent) throws(CgroupError) {
        try self.init(layout: CgroupHostLayout.detect(), parent: parent, system: HostCgroupSystem())
    }

    init(layout: CgroupHostLayout, parent: String, system: any CgroupSystem) throws(CgroupError) {
        let components = parent.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for component in components {
            try Self.checkName(component, what: "cgroup parent \"\(parent)\"")
        }
        guard components.first != Self.agentLeaf else {
            throw CgroupError(.invalidName, "cgroup parent \"\(parent)\" is the agent's own leaf")
        }
        self.layout = layout
        self.parent = parent
        self.system = system
    }

    /// Creates `pod-<uid>` under the parent with the pod's limits. The parent is created
    /// (and on v2 given its controllers) on first use.
    public func createPod(uid: String, limits: CgroupLimits) throws(CgroupError) -> Cgroup {
        try Self.checkName(uid, what: "pod uid")
        try prepareParent()
        return try create(path: podPath(uid), limits: limits, delegatesToChildren: true)
    }

    /// Creates the container's cgroup inside its pod's.
    public func createContainer(id: String, in pod: Cgroup, limits: CgroupLimits) throws(CgroupError) -> Cgroup {
        try Self.checkName(id, what: "container id")
        return try create(path: pod.path + "/" + id, limits: limits, delegatesToChildren: false)
    }

    /// The pod's cgroup as an earlier agent left it.
    public func openPod(uid: String) throws(CgroupError) -> Cgroup {
        try Self.checkName(uid, what: "pod uid")
        return try open(podPath(uid))
    }

    /// A container's cgroup as an earlier agent left it.
    public func openContainer(id: String, inPod uid: String) throws(CgroupError) -> Cgroup {
        try Self.checkName(uid, what: "pod uid")
        try Self.checkName(id, what: "container id")
        return try open(podPath(uid) + "/" + id)
    }

    /// A cgroup by its `Cgroup.path`, e.g. after an agent restart. It need only exist in
    /// the first hierarchy, so a half-made one can still be removed.
    public func open(_ path: String) throws(CgroupError) -> Cgroup {
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for component in components {
            try Self.checkName(component, what: "cgroup path \"\(path)\"")
        }
        let cgroup = Cgroup(path: path, layout: layout, system: system)
        guard let first = cgroup.directories.first, system.exists(first) else {
            throw CgroupError(.notFound, "no cgroup \(path)", path: cgroup.directories.first)
        }
        return cgroup
    }

    /// The UIDs of every pod cgroup under the parent, to find leftovers after a restart.
    public func podUIDs() throws(CgroupError) -> [String] {
        guard let first = layout.hierarchies.first else { return [] }
        let directory = first.baseDirectory + "/" + parent
        guard system.exists(directory) else { return [] }
        return try system.subdirectories(of: directory).compactMap {
            $0.hasPrefix("pod-") ? String($0.dropFirst(4)) : nil
        }
    }

    func podPath(_ uid: String) -> String {
        parent + "/pod-" + uid
    }

    /// Makes the directory in every hierarchy, then writes the limits; on any failure
    /// removes what this call made, so no half-made cgroup is left behind.
    func create(path: String, limits: CgroupLimits, delegatesToChildren: Bool) throws(CgroupError)
        -> Cgroup
    {
        try limits.validate()
        let cgroup = Cgroup(path: path, layout: layout, system: system)
        var made: [String] = []
        do throws(CgroupError) {
            for directory in cgroup.directories {
                do throws(CgroupError) {
                    try system.makeDirectory(directory)
                } catch where error.errno == EEXIST {
                    throw CgroupError(.alreadyExists, "cgroup \(path) exists already", path: directory)
                }
                made.append(directory)
            }
            if delegatesToChildren, let unified = cgroup.unifiedDirectory {
                try enableControllers(in: unified)
            }
            try cgroup.apply(limits)
        } catch {
            for directory in made.reversed() {
                try? system.removeDirectory(directory)
            }
            throw error
        }
        return cgroup
    }

    static func checkName(_ name: String, what: String) throws(CgroupError) {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0"),
            name.utf8.count <= 255
        else {
            throw CgroupError(.invalidName, "\(what): \"\(name)\" is not a single path component")
        }
    }
}
