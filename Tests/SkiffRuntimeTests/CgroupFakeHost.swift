import Foundation
import Synchronization

@testable import SkiffRuntime

/// A temporary directory shaped like a host's /proc/self and /sys/fs/cgroup, with a
/// `CgroupSystem` over it that behaves like the kernel where the cgroup code relies on
/// it: mkdir fills in interface files (on v2 only those of controllers the parent
/// delegates), rmdir refuses populated cgroups, `cgroup.subtree_control` obeys the
/// no-internal-processes rule, `cgroup.procs` moves a pid, `cgroup.kill` and SIGKILL end
/// processes. Pids are made up: nothing is ever signalled for real.
final class FakeCgroupHost: CgroupSystem, Sendable {
    let root: String
    /// Interface files and their initial contents, by mount point.
    private let interfaceFiles: [String: [String: String]]
    private let unifiedMount: String?
    private let state = Mutex(State())

    private struct State {
        var writes: [Write] = []
        var signals: [Signal] = []
        var failingWrites: [String: Int32] = [:]
    }

    struct Write: Equatable {
        var path: String
        var value: String
    }

    struct Signal: Equatable {
        var pid: Int32
        var signal: Int32
    }

    /// Like these machines: v1 cpu, cpuacct, cpuset, memory, devices, freezer, blkio,
    /// pids and name=systemd, cgroup2 at /sys/fs/cgroup/unified with only hugetlb, and
    /// the agent in a non-root memory cgroup.
    static func hybrid(
        memoryPath: String = "/process_api/abc", agentPids: [Int32] = [100], hasKill: Bool = true,
        hasFreezer: Bool = true
    ) throws -> FakeCgroupHost {
        let v1 = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd"]
            .filter { hasFreezer || $0 != "freezer" }
        var mountinfo = "23 1 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
        mountinfo += "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        for (index, name) in v1.enumerated() {
            let option = name == "systemd" ? "name=systemd" : name
            mountinfo +=
                "\(32 + index) 31 0:\(29 + index) / /sys/fs/cgroup/\(name) rw,relatime - cgroup cgroup rw,\(option)\n"
        }
        mountinfo += "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
        let selfCgroup = """
            9:name=systemd:/
            8:pids:/
            7:blkio:/
            \(hasFreezer ? "6:freezer:/" : "")
            5:devices:/
            4:memory:\(memoryPath)
            3:cpuset:/
            2:cpuacct:/
            1:cpu:/
            0::/

            """
        let unlimited = "9223372036854771712"
        var unified = [
            "cgroup.controllers": "", "cgroup.subtree_control": "", "cgroup.procs": "", "cpu.stat": "usage_usec 0\n",
        ]
        if hasKill { unified["cgroup.kill"] = "" }
        var files: [String: [String: String]] = [
            "/sys/fs/cgroup/unified": unified,
            "/sys/fs/cgroup/cpu": [
                "cgroup.procs": "", "cpu.shares": "1024", "cpu.cfs_period_us": "100000", "cpu.cfs_quota_us": "-1",
            ],
            "/sys/fs/cgroup/cpuacct": ["cgroup.procs": "", "cpuacct.usage": "0"],
            "/sys/fs/cgroup/memory": [
                "cgroup.procs": "", "memory.limit_in_bytes": unlimited, "memory.memsw.limit_in_bytes": unlimited,
                "memory.usage_in_bytes": "0", "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n",
            ],
            "/sys/fs/cgroup/pids": ["cgroup.procs": "", "pids.max": "max", "pids.current": "0"],
            "/sys/fs/cgroup/freezer": ["cgroup.procs": "", "freezer.state": "THAWED"],
            "/sys/fs/cgroup/cpuset": ["cgroup.procs": ""],
            "/sys/fs/cgroup/devices": ["cgroup.procs": ""],
            "/sys/fs/cgroup/blkio": ["cgroup.procs": ""],
            "/sys/fs/cgroup/systemd": ["cgroup.procs": ""],
        ]
        if !hasFreezer { files["/sys/fs/cgroup/freezer"] = nil }
        let host = try FakeCgroupHost(
            mountinfo: mountinfo, selfCgroup: selfCgroup, interfaceFiles: files, unifiedMount: "/sys/fs/cgroup/unified")
        try host.setContents("hugetlb", of: "/sys/fs/cgroup/unified/cgroup.controllers")
        try host.makeTree("/sys/fs/cgroup/memory" + memoryPath)
        for pid in agentPids {
            for mount in files.keys {
                let base = mount == "/sys/fs/cgroup/memory" ? mount + memoryPath : mount
                try host.append(pid, toProcsOf: base)
            }
        }
        return host
    }

    /// A host with only cgroup2 at /sys/fs/cgroup, every controller available, and the
    /// agent at `agentPath` (`/` for the root, as in a container with its own cgroup namespace).
    static func pureV2(agentPath: String = "/system.slice/skiff.service", agentPids: [Int32] = [100])
        throws -> FakeCgroupHost
    {
        let mountinfo = """
            23 1 0:21 / /sys rw,nosuid - sysfs sysfs rw
            31 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot

            """
        let files = [
            "/sys/fs/cgroup": [
                "cgroup.controllers": "", "cgroup.subtree_control": "", "cgroup.procs": "", "cgroup.kill": "",
                "cpu.stat": "usage_usec 0\n", "cpu.weight": "100", "cpu.max": "max 100000", "memory.max": "max",
                "memory.swap.max": "max", "memory.current": "0",
                "memory.events": "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n",
                "pids.max": "max", "pids.current": "0",
            ]
        ]
        let host = try FakeCgroupHost(
            mountinfo: mountinfo, selfCgroup: "0::\(agentPath)\n", interfaceFiles: files, unifiedMount: "/sys/fs/cgroup"
        )
        let all = "cpuset cpu io memory hugetlb pids rdma misc"
        try host.setContents(all, of: "/sys/fs/cgroup/cgroup.controllers")
        // The init system has delegated everything down to the agent's cgroup.
        try host.setContents(all, of: "/sys/fs/cgroup/cgroup.subtree_control")
        var directory = "/sys/fs/cgroup"
        for component in agentPath.split(separator: "/") {
            directory += "/" + component
            try host.makeTree(directory)
            try host.setContents(all, of: directory + "/cgroup.subtree_control")
        }
        // …except in the agent's own cgroup, which holds the agent.
        if agentPath != "/" { try host.setContents("", of: directory + "/cgroup.subtree_control") }
        for pid in agentPids { try host.append(pid, toProcsOf: directory) }
        return host
    }

    private init(
        mountinfo: String, selfCgroup: String, interfaceFiles: [String: [String: String]], unifiedMount: String?
    )
        throws
    {
        root = FileManager.default.temporaryDirectory.path + "/skiff-cgroupfs-" + UUID().uuidString
        self.interfaceFiles = interfaceFiles
        self.unifiedMount = unifiedMount
        try FileManager.default.createDirectory(atPath: root + "/proc/self", withIntermediateDirectories: true)
        try mountinfo.write(toFile: root + "/proc/self/mountinfo", atomically: false, encoding: .utf8)
        try selfCgroup.write(toFile: root + "/proc/self/cgroup", atomically: false, encoding: .utf8)
        for mount in interfaceFiles.keys.sorted() {
            try FileManager.default.createDirectory(atPath: root + mount, withIntermediateDirectories: true)
            try populate(root + mount, isMountRoot: true)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    func layout() throws -> CgroupHostLayout {
        try CgroupHostLayout.detect(procSelf: root + "/proc/self", root: root, system: self)
    }

    func manager(parent: String = "skiff") throws -> CgroupManager {
        try CgroupManager(layout: layout(), parent: parent, system: self)
    }

    // MARK: Inspecting and arranging, by path below the fake root

    func contents(of path: String) -> String? {
        try? String(contentsOfFile: root + path, encoding: .utf8)
    }

    func setContents(_ text: String, of path: String) throws {
        try text.write(toFile: root + path, atomically: false, encoding: .utf8)
    }

    func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root + path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Directories below the fake root whose path contains `fragment`.
    func directories(containing fragment: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var found: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.contains(fragment), isDirectory("/" + relative) { found.append("/" + relative) }
        }
        return found.sorted()
    }

    /// Writes since the host was made, paths relative to the fake root.
    var writes: [Write] {
        state.withLock { $0.writes }.map { Write(path: String($0.path.dropFirst(root.count)), value: $0.value) }
    }

    var signals: [Signal] { state.withLock { $0.signals } }

    /// Makes writes to files with this name fail, as the kernel would with `errno`.
    func failWrites(toFileNamed name: String, errno: Int32) {
        state.withLock { $0.failingWrites[name] = errno }
    }

    func makeTree(_ path: String) throws {
        var directory = ""
        for component in path.split(separator: "/") {
            directory += "/" + component
            if !isDirectory(directory) { try makeDirectory(root + directory) }
        }
    }

    func append(_ pid: Int32, toProcsOf directory: String) throws {
        let file = root + directory + "/cgroup.procs"
        let existing = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        try (existing + "\(pid)\n").write(toFile: file, atomically: false, encoding: .utf8)
    }

    // MARK: CgroupSystem

    func read(_ path: String) throws(CgroupError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CgroupError(.systemCall, "cannot open", path: path, errno: ENOENT)
        }
        return text
    }

    func write(_ value: String, to path: String) throws(CgroupError) {
        let name = (path as NSString).lastPathComponent
        let directory = (path as NSString).deletingLastPathComponent
        let failure = state.withLock { state in
            state.writes.append(Write(path: path, value: value))
            return state.failingWrites[name]
        }
        if let failure { throw CgroupError(.systemCall, "cannot write", path: path, errno: failure) }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CgroupError(.systemCall, "cannot open", path: path, errno: ENOENT)
        }
        switch name {
        case "cgroup.subtree_control": try writeSubtreeControl(value, in: directory)
        case "cgroup.procs": try movePid(value, into: directory)
        case "cgroup.kill": try killTree(directory)
        case "memory.limit_in_bytes", "memory.memsw.limit_in_bytes": try writeV1MemoryLimit(value, to: path)
        default: try store(value, at: path)
        }
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    func makeDirectory(_ path: String) throws(CgroupError) {
        guard !exists(path) else { throw CgroupError(.systemCall, "cannot create", path: path, errno: EEXIST) }
        guard exists((path as NSString).deletingLastPathComponent) else {
            throw CgroupError(.systemCall, "cannot create", path: path, errno: ENOENT)
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            try populate(path, isMountRoot: false)
        } catch {
            throw CgroupError(.systemCall, "cannot create", path: path, errno: EIO)
        }
    }

    func removeDirectory(_ path: String) throws(CgroupError) {
        guard exists(path) else { throw CgroupError(.systemCall, "cannot remove", path: path, errno: ENOENT) }
        guard (try subdirectories(of: path)).isEmpty, pids(in: path).isEmpty else {
            throw CgroupError(.systemCall, "cannot remove", path: path, errno: EBUSY)
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    func subdirectories(of path: String) throws(CgroupError) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            throw CgroupError(.systemCall, "cannot list", path: path, errno: ENOENT)
        }
        return names.filter { isDirectory(String((path + "/" + $0).dropFirst(root.count))) }.sorted()
    }

    func send(signal: Int32, to pid: Int32) throws(CgroupError) {
        state.withLock { $0.signals.append(Signal(pid: pid, signal: signal)) }
        if signal == SIGKILL { end(pid) }
    }

    // MARK: The kernel's side

    private func mount(of path: String) -> String? {
        interfaceFiles.keys.filter { path == root + $0 || path.hasPrefix(root + $0 + "/") }.max { $0.count < $1.count }
    }

    private func populate(_ directory: String, isMountRoot: Bool) throws {
        guard let mount = mount(of: directory), let files = interfaceFiles[mount] else { return }
        let isUnified = mount == unifiedMount
        let delegated =
            isUnified && !isMountRoot
            ? words(try read((directory as NSString).deletingLastPathComponent + "/cgroup.subtree_control")) : []
        for (name, initial) in files {
            // On v2 a controller's files appear only where the parent enabled it.
            if isUnified, !isMountRoot, let controller = name.split(separator: ".").first,
                ["cpu", "memory", "pids"].contains(String(controller)), name != "cpu.stat",
                !delegated.contains(String(controller))
            {
                continue
            }
            let text =
                isUnified && name == "cgroup.controllers" && !isMountRoot ? delegated.joined(separator: " ") : initial
            try text.write(toFile: directory + "/" + name, atomically: false, encoding: .utf8)
        }
    }

    private func words(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    private func pids(in directory: String) -> [String] {
        ((try? read(directory + "/cgroup.procs")) ?? "").split(whereSeparator: \.isNewline).map(String.init)
    }

    private func store(_ value: String, at path: String) throws(CgroupError) {
        do {
            try value.write(toFile: path, atomically: false, encoding: .utf8)
        } catch {
            throw CgroupError(.systemCall, "cannot write", path: path, errno: EIO)
        }
    }

    private func isMountRoot(_ directory: String) -> Bool {
        interfaceFiles.keys.contains { root + $0 == directory }
    }

    private func writeSubtreeControl(_ value: String, in directory: String) throws(CgroupError) {
        let file = directory + "/cgroup.subtree_control"
        if !isMountRoot(directory), !pids(in: directory).isEmpty {
            throw CgroupError(.systemCall, "cannot write", path: file, errno: EBUSY)
        }
        let available = words(try read(directory + "/cgroup.controllers"))
        var enabled = words(try read(file))
        for token in words(value) {
            let controller = String(token.dropFirst())
            guard available.contains(controller) else {
                throw CgroupError(.systemCall, "cannot write", path: file, errno: ENOENT)
            }
            if token.hasPrefix("+"), !enabled.contains(controller) { enabled.append(controller) }
            if token.hasPrefix("-") { enabled.removeAll { $0 == controller } }
        }
        try store(enabled.joined(separator: " "), at: file)
    }

    /// v1 keeps memory.limit_in_bytes <= memory.memsw.limit_in_bytes, refusing (EINVAL)
    /// any write that would break it, and shows -1 as the largest page-aligned value.
    private func writeV1MemoryLimit(_ value: String, to path: String) throws(CgroupError) {
        let unlimited = 9_223_372_036_854_771_712
        guard let requested = Int(value) else {
            throw CgroupError(.systemCall, "cannot write", path: path, errno: EINVAL)
        }
        let limit = requested == -1 ? unlimited : requested
        let directory = (path as NSString).deletingLastPathComponent
        func current(_ name: String) -> Int? { Int(Cgroup.trimmed((try? read(directory + "/" + name)) ?? "")) }
        let isMemsw = path.hasSuffix("memsw.limit_in_bytes")
        if isMemsw, let memory = current("memory.limit_in_bytes"), limit < memory {
            throw CgroupError(.systemCall, "cannot write", path: path, errno: EINVAL)
        }
        if !isMemsw, let memsw = current("memory.memsw.limit_in_bytes"), limit > memsw {
            throw CgroupError(.systemCall, "cannot write", path: path, errno: EINVAL)
        }
        try store(String(limit), at: path)
    }

    private func movePid(_ value: String, into directory: String) throws(CgroupError) {
        guard let mount = mount(of: directory), let pid = Int32(value) else {
            throw CgroupError(.systemCall, "cannot write", path: directory, errno: EINVAL)
        }
        if mount == unifiedMount, !isMountRoot(directory),
            !words(try read(directory + "/cgroup.subtree_control")).isEmpty
        {
            throw CgroupError(.systemCall, "cannot write", path: directory, errno: EBUSY)
        }
        for file in procsFiles(under: root + mount) {
            let remaining = pids(in: (file as NSString).deletingLastPathComponent).filter { $0 != value }
            try store(remaining.map { $0 + "\n" }.joined(), at: file)
        }
        try store((pids(in: directory) + ["\(pid)"]).map { $0 + "\n" }.joined(), at: directory + "/cgroup.procs")
    }

    private func killTree(_ directory: String) throws(CgroupError) {
        for file in procsFiles(under: directory) {
            for pid in pids(in: (file as NSString).deletingLastPathComponent) {
                if let pid = Int32(pid) { end(pid) }
            }
        }
    }

    /// The process exits: it leaves every cgroup.
    private func end(_ pid: Int32) {
        for file in procsFiles(under: root + "/sys") {
            let directory = (file as NSString).deletingLastPathComponent
            let remaining = pids(in: directory).filter { $0 != String(pid) }
            try? store(remaining.map { $0 + "\n" }.joined(), at: file)
        }
    }

    private func procsFiles(under directory: String) -> [String] {
        var files = exists(directory + "/cgroup.procs") ? [directory + "/cgroup.procs"] : []
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix("/cgroup.procs") { files.append(directory + "/" + relative) }
        }
        return files
    }
}
