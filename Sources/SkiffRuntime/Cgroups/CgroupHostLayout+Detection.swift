/// Reading the layout from /proc/self/mountinfo and /proc/self/cgroup.
extension CgroupHostLayout {
    /// The layout of this host, for the calling process.
    public static func detect() throws(CgroupError) -> CgroupHostLayout {
        try detect(procSelf: "/proc/self", root: "", system: HostCgroupSystem())
    }

    /// - Parameters:
    ///   - procSelf: the directory holding `mountinfo` and `cgroup`.
    ///   - root: prefixed to every mount point, so tests can place a fake cgroupfs.
    static func detect(procSelf: String, root: String, system: any CgroupSystem) throws(CgroupError)
        -> CgroupHostLayout
    {
        let mounts = try parseMountInfo(system.read(procSelf + "/mountinfo"))
        let memberships = try parseSelfCgroup(system.read(procSelf + "/cgroup"))
        let used = Set(CgroupController.allCases.map(\.rawValue))
        var unified: CgroupHierarchy?
        var v1: [CgroupHierarchy] = []
        for membership in memberships {
            if membership.controllers.isEmpty {
                guard let mount = mounts.first(where: { $0.isUnified && $0.holds(membership.path) }) else {
                    continue
                }
                var base = try mount.directory(for: membership.path, root: root)
                // A restarted agent that once moved itself into its leaf still nests beside it.
                if base.hasSuffix("/" + CgroupManager.agentLeaf) {
                    base.removeLast(CgroupManager.agentLeaf.count + 1)
                }
                let listed = try system.read(base + "/cgroup.controllers")
                let controllers = Set(listed.split(whereSeparator: \.isWhitespace).map(String.init))
                unified = CgroupHierarchy(
                    mountPoint: root + mount.mountPoint, controllers: controllers, baseDirectory: base)
            } else {
                let controllers = Set(membership.controllers)
                guard !controllers.isDisjoint(with: used),
                    let mount = mounts.first(where: {
                        !$0.isUnified && controllers.isSubset(of: $0.options) && $0.holds(membership.path)
                    })
                else { continue }
                let base = try mount.directory(for: membership.path, root: root)
                v1.append(
                    CgroupHierarchy(mountPoint: root + mount.mountPoint, controllers: controllers, baseDirectory: base))
            }
        }
        guard unified != nil || !v1.isEmpty else {
            throw CgroupError(
                .hostLayout, "no cgroup hierarchy is mounted for this process", path: procSelf + "/mountinfo")
        }
        return CgroupHostLayout(unified: unified, v1: v1)
    }

    struct CgroupMount: Equatable {
        var root: String
        var mountPoint: String
        var isUnified: Bool
        var options: Set<String>

        /// Whether the cgroup at `path` (as /proc/self/cgroup names it) is visible in this mount.
        func holds(_ path: String) -> Bool {
            root == "/" || path == root || path.hasPrefix(root + "/")
        }

        func directory(for path: String, root prefix: String) throws(CgroupError) -> String {
            guard holds(path) else {
                throw CgroupError(.hostLayout, "cgroup \(path) is outside the mount of \(root)", path: mountPoint)
            }
            let relative = root == "/" ? path : String(path.dropFirst(root.count))
            let joined = prefix + mountPoint + (relative == "/" ? "" : relative)
            return joined
        }
    }

    /// The cgroup and cgroup2 mounts in mountinfo (see proc(5)).
    static func parseMountInfo(_ text: String) throws(CgroupError) -> [CgroupMount] {
        var mounts: [CgroupMount] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard let separator = fields.firstIndex(of: "-"), separator >= 5, fields.count >= separator + 4 else {
                throw CgroupError(.hostLayout, "unreadable mountinfo line: \(line)")
            }
            let type = fields[separator + 1]
            guard type == "cgroup" || type == "cgroup2" else { continue }
            mounts.append(
                CgroupMount(
                    root: unescapeOctal(fields[3]),
                    mountPoint: unescapeOctal(fields[4]),
                    isUnified: type == "cgroup2",
                    options: Set(fields[separator + 3].split(separator: ",").map(String.init))))
        }
        return mounts
    }

    struct Membership: Equatable {
        /// Empty for the unified hierarchy; `name=systemd` style names stay as written.
        var controllers: [String]
        var path: String
    }

    /// The lines `hierarchy-ID:controller-list:cgroup-path` of /proc/self/cgroup.
    static func parseSelfCgroup(_ text: String) throws(CgroupError) -> [Membership] {
        var memberships: [Membership] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2].hasPrefix("/") else {
                throw CgroupError(.hostLayout, "unreadable /proc/self/cgroup line: \(line)")
            }
            let controllers = parts[1].split(separator: ",").map(String.init)
            memberships.append(Membership(controllers: controllers, path: String(parts[2])))
        }
        return memberships
    }

    /// mountinfo writes space, tab, newline and backslash as `\040`-style octal escapes.
    static func unescapeOctal(_ field: String) -> String {
        var bytes: [UInt8] = []
        var input = Array(field.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "\\"), input.count >= 3,
                let value = UInt8(String(decoding: input.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                input = input.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
