/// A pod or container cgroup: one directory per hierarchy in the host layout, all at the
/// same `path` below the agent's own cgroup.
public struct Cgroup: Sendable {
    /// Relative to the agent's cgroup in every hierarchy, e.g. `skiff/pod-<uid>/<id>`.
    public let path: String
    let layout: CgroupHostLayout
    let system: any CgroupSystem

    init(path: String, layout: CgroupHostLayout, system: any CgroupSystem) {
        self.path = path
        self.layout = layout
        self.system = system
    }

    /// The cgroup2 directory, for `clone3(CLONE_INTO_CGROUP)`; nil on a host without cgroup2.
    public var unifiedDirectory: String? {
        layout.unified.map(directory(in:))
    }

    /// Every `cgroup.procs` a new process must be written into before it execs: the
    /// unified one first, then one per v1 hierarchy.
    public var procsFiles: [String] {
        directories.map { $0 + "/cgroup.procs" }
    }

    /// This cgroup's directory in every hierarchy, unified first.
    public var directories: [String] {
        layout.hierarchies.map(directory(in:))
    }

    func directory(in hierarchy: CgroupHierarchy) -> String {
        hierarchy.baseDirectory + "/" + path
    }

    /// The directory holding `controller`'s files, and whether it is a v2 one.
    func directory(for controller: CgroupController) -> (directory: String, unified: Bool)? {
        switch layout.placement(of: controller) {
        case .unified(let hierarchy): (directory(in: hierarchy), true)
        case .v1(let hierarchy): (directory(in: hierarchy), false)
        case .absent: nil
        }
    }

    /// Every process in this cgroup and the cgroups below it, in any hierarchy.
    public func processes() throws(CgroupError) -> [Int32] {
        var pids = Set<Int32>()
        for directory in directories where system.exists(directory) {
            try collectProcesses(in: directory, into: &pids)
        }
        return pids.sorted()
    }

    private func collectProcesses(in directory: String, into pids: inout Set<Int32>) throws(CgroupError) {
        let listed = try system.read(directory + "/cgroup.procs")
        pids.formUnion(listed.split(whereSeparator: \.isNewline).compactMap { Int32($0) })
        for child in try system.subdirectories(of: directory) {
            try collectProcesses(in: directory + "/" + child, into: &pids)
        }
    }

    /// Applies new limits to a live cgroup. Throws `.memoryBelowUsage` rather than let the
    /// kernel OOM-kill to meet a memory limit below what is in use.
    public func update(limits: CgroupLimits) throws(CgroupError) {
        try limits.validate()
        try apply(limits)
    }

    func apply(_ limits: CgroupLimits) throws(CgroupError) {
        try CPUController(cgroup: self).apply(limits)
        try MemoryController(cgroup: self).apply(limits)
        try PidsController(cgroup: self).apply(limits)
    }

    /// Reads a file of `key value` lines (memory.events, memory.oom_control, cpu.stat).
    func readKeyedValue(_ key: String, in path: String) throws(CgroupError) -> Int {
        for line in try system.read(path).split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == key, let value = Int(fields[1]) { return value }
        }
        throw CgroupError(.systemCall, "no \"\(key)\" in", path: path)
    }

    func readNumber(_ path: String) throws(CgroupError) -> Int {
        let text = Self.trimmed(try system.read(path))
        guard let value = Int(text) else { throw CgroupError(.systemCall, "not a number: \"\(text)\" in", path: path) }
        return value
    }

    static func trimmed(_ text: String) -> Substring {
        let start = text.firstIndex { !$0.isWhitespace } ?? text.endIndex
        let end = text.lastIndex { !$0.isWhitespace }.map { text.index(after: $0) } ?? start
        return text[start..<end]
    }
}
