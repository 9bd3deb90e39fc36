/// The spec skiff-shim reads: NUL-terminated `key=value` entries (the format is
/// documented in CSupport/skiff-shim/spec.h). Built here from a container's config, so
/// policy — which capabilities, syscalls, paths — is decided in Swift and the shim only
/// carries it out.
struct ShimSpec: Equatable {
    private(set) var entries: [(key: String, value: String)] = []

    static func == (lhs: ShimSpec, rhs: ShimSpec) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.key == $1.key && $0.value == $1.value }
    }

    mutating func add(_ key: String, _ value: String) {
        entries.append((key, value))
    }

    func values(_ key: String) -> [String] {
        entries.filter { $0.key == key }.map(\.value)
    }

    /// The wire bytes; fails on a NUL inside a value, which the format cannot carry.
    func encoded() throws(RuntimeError) -> [UInt8] {
        var bytes: [UInt8] = []
        for entry in entries {
            if entry.value.utf8.contains(0) { throw .invalidConfig("\(entry.key) contains a NUL byte") }
            bytes += Array("\(entry.key)=\(entry.value)".utf8)
            bytes.append(0)
        }
        return bytes
    }
}

/// The cgroups a container's processes join, as the shim needs them.
public struct CgroupAttachment: Codable, Sendable, Hashable {
    /// The cgroup v2 directory, for clone3's CLONE_INTO_CGROUP; nil without cgroup v2.
    public var unifiedDirectory: String?
    /// Every cgroup.procs file (v2 and each v1 hierarchy) the process is written into.
    public var procsFiles: [String]
    /// memory.events (v2) or memory.oom_control (v1), read before and after for OOM kills.
    public var oomCounter: String?
    /// What the container mounts read-only at /sys/fs/cgroup.
    public var filesystems: [CgroupFilesystem]?

    public init(unifiedDirectory: String?, procsFiles: [String], oomCounter: String?, filesystems: [CgroupFilesystem]? = nil) {
        self.unifiedDirectory = unifiedDirectory
        self.procsFiles = procsFiles
        self.oomCounter = oomCounter
        self.filesystems = filesystems
    }
}

extension ShimSpec {
    /// The process part shared by `run` and `exec`.
    fileprivate mutating func addProcess(
        command: [String], environment: [String], workingDirectory: String?, user: ContainerConfig.User, tty: Bool
    ) throws(RuntimeError) {
        guard let first = command.first, !first.isEmpty else { throw .invalidConfig("the command is empty") }
        for argument in command { add("arg", argument) }
        for variable in environment {
            guard let equals = variable.firstIndex(of: "="), equals != variable.startIndex else {
                throw .invalidConfig("environment entry \(variable) is not NAME=VALUE")
            }
            add("env", variable)
        }
        if let workingDirectory {
            guard workingDirectory.hasPrefix("/") else { throw .invalidConfig("working directory \(workingDirectory) is not absolute") }
            add("cwd", workingDirectory)
        }
        add("uid", String(user.uid))
        add("gid", String(user.gid))
        for group in user.additionalGroups { add("group", String(group)) }
        if tty { add("tty", "1") }
    }

    fileprivate mutating func addCgroup(_ cgroup: CgroupAttachment?) {
        guard let cgroup else { return }
        if let directory = cgroup.unifiedDirectory { add("cgroup.dir", directory) }
        for file in cgroup.procsFiles { add("cgroup.procs", file) }
        if let counter = cgroup.oomCounter { add("oom.counter", counter) }
    }

    /// Capabilities, no_new_privs and seccomp: the same for the container and its execs.
    /// The shim keeps compiled filters in `seccompCache`, one file per distinct rule set.
    fileprivate mutating func addRestrictions(_ config: ContainerConfig, seccompCache: String?) throws(RuntimeError) {
        let capabilities = try Capability.effectiveSet(
            add: config.capabilities.add, drop: config.capabilities.drop, privileged: config.privileged)
        if capabilities.isEmpty { add("caps", "") }
        for number in capabilities.compactMap({ Capability.numbers[$0] }).sorted() { add("cap", String(number)) }
        if config.noNewPrivileges { add("no_new_privs", "1") }
        let profile = config.privileged ? SeccompProfile.unconfined : config.seccomp
        if let compiled = profile.compiled(capabilities: capabilities) {
            add("seccomp.default", compiled.defaultAction)
            for arch in compiled.architectures { add("seccomp.arch", arch) }
            for rule in compiled.rules { add("seccomp.rule", rule) }
            if let seccompCache { add("seccomp.cache", "\(seccompCache)/\(compiled.digest).bpf") }
        }
    }

    /// The filesystems every container gets, as runc's and containerd's defaults.
    fileprivate mutating func addStandardMounts(privileged: Bool) {
        let standard: [(target: String, type: String, options: String, data: String?)] = [
            ("/proc", "proc", "nosuid,noexec,nodev", nil),
            ("/dev", "tmpfs", "nosuid,strictatime", "mode=755,size=65536k"),
            ("/dev/pts", "devpts", "nosuid,noexec", "newinstance,ptmxmode=0666,mode=0620,gid=5"),
            ("/dev/shm", "tmpfs", "nosuid,noexec,nodev", "mode=1777,size=65536k"),
            ("/dev/mqueue", "mqueue", "nosuid,noexec,nodev", nil),
            ("/sys", "sysfs", privileged ? "nosuid,noexec,nodev" : "ro,nosuid,noexec,nodev", nil),
        ]
        for mount in standard {
            add("mount", mount.target)
            add("mount.type", mount.type)
            add("mount.source", mount.type)
            add("mount.options", mount.options)
            if let data = mount.data { add("mount.data", data) }
        }
    }

    /// /sys/fs/cgroup, read-only unless privileged (runc's choice too).
    fileprivate mutating func addCgroupFilesystems(_ filesystems: [CgroupFilesystem], privileged: Bool) {
        guard !filesystems.isEmpty else { return }
        let options = privileged ? "nosuid,nodev,noexec" : "ro,nosuid,nodev,noexec"
        if filesystems.count > 1 || filesystems[0].name != "" {
            add("mount", "/sys/fs/cgroup")
            add("mount.type", "tmpfs")
            add("mount.source", "tmpfs")
            add("mount.options", "nosuid,nodev,noexec")
            add("mount.data", "mode=755,size=64k")
        }
        for filesystem in filesystems {
            add("mount", filesystem.name.isEmpty ? "/sys/fs/cgroup" : "/sys/fs/cgroup/\(filesystem.name)")
            add("mount.type", "bind")
            add("mount.source", filesystem.source)
            add("mount.options", options)
        }
        // The tmpfs holding the hierarchies becomes read-only once they are in it.
        if !privileged && (filesystems.count > 1 || filesystems[0].name != "") { add("readonly", "/sys/fs/cgroup") }
    }

    fileprivate mutating func addVolumes(_ mounts: [ContainerConfig.Mount]) throws(RuntimeError) {
        for mount in mounts {
            guard mount.target.hasPrefix("/") else { throw .invalidConfig("mount target \(mount.target) is not absolute") }
            add("mount", mount.target)
            if let size = mount.tmpfsSizeBytes {
                add("mount.type", "tmpfs")
                add("mount.source", "tmpfs")
                add("mount.options", mount.readOnly ? "ro,nosuid,nodev" : "nosuid,nodev")
                add("mount.data", size > 0 ? "size=\(size)" : "")
            } else {
                guard mount.source.hasPrefix("/") else { throw .invalidConfig("mount source \(mount.source) is not absolute") }
                add("mount.type", "bind")
                add("mount.source", mount.source)
                add("mount.options", mount.readOnly ? "rbind,ro" : "rbind")
            }
        }
    }

    /// The spec that starts a container.
    static func run(
        config: ContainerConfig, paths: ContainerPaths, cgroup: CgroupAttachment?, seccompCache: String? = nil
    ) throws(RuntimeError) -> ShimSpec {
        var spec = ShimSpec()
        spec.add("mode", "run")
        try spec.addProcess(
            command: config.command, environment: config.environment, workingDirectory: config.workingDirectory,
            user: config.user, tty: config.tty)
        if let hostname = config.hostname { spec.add("hostname", hostname) }
        guard config.namespaces.contains(where: { $0.kind == .mount && $0.joinPath == nil }) else {
            throw .invalidConfig("a container needs its own mount namespace")
        }
        for namespace in config.namespaces {
            spec.add("ns", namespace.joinPath.map { "\(namespace.kind.rawValue):\($0)" } ?? namespace.kind.rawValue)
        }
        spec.addCgroup(cgroup)
        switch config.rootfs {
        case .layers(let layers):
            guard !layers.isEmpty else { throw .invalidConfig("the image has no layers") }
            spec.add("rootfs", paths.rootfsMount)
            spec.add("rootfs.lower", layers.joined(separator: ":"))
            spec.add("rootfs.upper", paths.upper)
            spec.add("rootfs.work", paths.work)
        case .directory(let directory):
            spec.add("rootfs", directory)
        }
        if config.readOnlyRootFilesystem { spec.add("rootfs.readonly", "1") }
        spec.addStandardMounts(privileged: config.privileged)
        if config.namespaces.contains(where: { $0.kind == .cgroup && $0.joinPath == nil }) {
            spec.addCgroupFilesystems(cgroup?.filesystems ?? [], privileged: config.privileged)
        }
        try spec.addVolumes(config.mounts)
        if !config.privileged {
            for path in DefaultPaths.masked { spec.add("mask", path) }
            for path in DefaultPaths.readOnly { spec.add("readonly", path) }
        }
        try spec.addRestrictions(config, seccompCache: seccompCache)
        if let adjust = config.oomScoreAdjust { spec.add("oom_score_adj", String(adjust)) }
        spec.add("log.path", config.logPath ?? paths.defaultLog)
        spec.add("log.max_size", String(config.logMaxBytes))
        spec.add("log.max_files", String(config.logMaxFiles))
        spec.add("exit.path", paths.exitFile)
        if config.stdin { spec.add("stdin", "1") }
        if config.stdinOnce { spec.add("stdin_once", "1") }
        spec.add("attach.socket", paths.attachSocket)
        return spec
    }

    /// The spec that runs another process in a running container: every namespace and
    /// cgroup of the container, under the same restrictions.
    static func exec(
        _ process: ExecProcessConfig, container: ContainerConfig, pid: Int32, cgroup: CgroupAttachment?,
        seccompCache: String? = nil
    ) throws(RuntimeError) -> ShimSpec {
        var spec = ShimSpec()
        spec.add("mode", "exec")
        try spec.addProcess(
            command: process.command, environment: process.environment ?? container.environment,
            workingDirectory: process.workingDirectory ?? container.workingDirectory,
            user: process.user ?? container.user, tty: process.tty)
        for namespace in container.namespaces {
            spec.add("ns", "\(namespace.kind.rawValue):/proc/\(pid)/ns/\(namespace.kind.rawValue)")
        }
        spec.addCgroup(cgroup)
        try spec.addRestrictions(container, seccompCache: seccompCache)
        return spec
    }
}

/// A process to run inside a running container (`kubectl exec`, exec probes).
public struct ExecProcessConfig: Sendable, Hashable {
    public var command: [String]
    /// nil: the container's environment.
    public var environment: [String]?
    public var workingDirectory: String?
    public var user: ContainerConfig.User?
    /// Make stdin (a terminal the caller opened) the process's controlling terminal.
    public var tty: Bool

    public init(command: [String], environment: [String]? = nil, workingDirectory: String? = nil,
                user: ContainerConfig.User? = nil, tty: Bool = false) {
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.user = user
        self.tty = tty
    }
}
