import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The namespaces a pod's containers share, kept alive without a process: each is
/// bind-mounted onto a file, as `ip netns add` does for network namespaces and CRI-O's
/// pinns for network, IPC and UTS. A pod has no pause container; its containers join
/// these files (`ContainerConfig.Namespace(kind, joinPath:)`).
public enum PodNamespaceKind: String, Codable, Sendable, CaseIterable, Hashable {
    case network = "net", ipc, uts

    /// The directory under the run directory holding one file per pod, named as CRI-O does.
    public var directoryName: String { "\(rawValue)ns" }
    /// The kind a container joins it as.
    public var containerKind: ContainerConfig.Namespace.Kind {
        switch self {
        case .network: .network
        case .ipc: .ipc
        case .uts: .uts
        }
    }
    var cloneFlag: Int32 {
        switch self {
        case .network: LinuxNamespaceCalls.newNetwork
        case .ipc: LinuxNamespaceCalls.newIPC
        case .uts: LinuxNamespaceCalls.newUTS
        }
    }
}

/// Namespaces pinned under `runDirectory` (`<run>/netns/<name>`, `<run>/ipcns/<name>`,
/// `<run>/utsns/<name>`). Only files under this directory are ever unmounted or
/// removed, so namespaces made by anyone else (`ip netns`, other runtimes) are safe.
public struct PinnedNamespaces: Sendable {
    public let runDirectory: String

    public init(runDirectory: String = SandboxDefaults.runDirectory) {
        self.runDirectory = runDirectory
    }

    public func path(_ kind: PodNamespaceKind, name: String) -> String {
        "\(runDirectory)/\(kind.directoryName)/\(name)"
    }

    /// Creates new namespaces of `kinds` and pins each at `path(kind, name:)`; a new UTS
    /// namespace gets `hostname`. All or nothing: on failure nothing stays pinned.
    @discardableResult
    public func create(name: String, kinds: Set<PodNamespaceKind>, hostname: String? = nil) throws(SandboxError) -> [PodNamespaceKind: String] {
        try Self.validate(name: name)
        guard !kinds.isEmpty else { return [:] }
        let ordered = PodNamespaceKind.allCases.filter(kinds.contains)
        var paths: [PodNamespaceKind: String] = [:]
        do throws(SandboxError) {
            for kind in ordered {
                try prepareDirectory("\(runDirectory)/\(kind.directoryName)")
                let file = path(kind, name: name)
                guard !LinuxNamespaceCalls.isNamespaceFile(file) else {
                    throw .invalidConfig("namespace \(file) already exists")
                }
                // An empty file is a leftover of a create that stopped before its mount.
                let fd = open(file, O_RDONLY | O_CREAT | O_CLOEXEC, 0o444)
                guard fd >= 0 else { throw .namespace(operation: "create \(file)", errno: errno) }
                close(fd)
                paths[kind] = file
            }
            let flags = ordered.reduce(Int32(0)) { $0 | $1.cloneFlag }
            try DedicatedThread.run { () throws(SandboxError) in
                // This thread ends right after, so its namespaces need no restoring.
                guard LinuxNamespaceCalls.unshare(flags) == 0 else {
                    throw .namespace(operation: "unshare \(ordered.map(\.rawValue).joined(separator: ","))", errno: errno)
                }
                if kinds.contains(.uts), let hostname {
                    guard sethostname(hostname, hostname.utf8.count) == 0 else {
                        throw .namespace(operation: "sethostname \(hostname)", errno: errno)
                    }
                }
                for kind in ordered {
                    let source = "/proc/thread-self/ns/\(kind.rawValue)"
                    guard mount(source, paths[kind]!, "none", UInt(MS_BIND), nil) == 0 else {
                        throw .namespace(operation: "bind \(source) to \(paths[kind]!)", errno: errno)
                    }
                }
            }
        } catch {
            for file in paths.values { try? Self.unpin(file) }
            throw error
        }
        return paths
    }

    /// Unpins and removes `name`'s namespaces of `kinds`; missing ones are fine. The
    /// namespace itself ends once no process is in it.
    public func remove(name: String, kinds: Set<PodNamespaceKind> = Set(PodNamespaceKind.allCases)) throws(SandboxError) {
        try Self.validate(name: name)
        for kind in PodNamespaceKind.allCases where kinds.contains(kind) {
            try Self.unpin(path(kind, name: name))
        }
    }

    /// Names with a file in the `kind` directory, pinned or left empty by a stopped
    /// create: after a restart, the ones no pod owns are to be removed.
    public func list(_ kind: PodNamespaceKind) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "\(runDirectory)/\(kind.directoryName)")) ?? []
        return entries.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Whether `name`'s namespace of `kind` is pinned (its file is a namespace).
    public func isPinned(_ kind: PodNamespaceKind, name: String) -> Bool {
        LinuxNamespaceCalls.isNamespaceFile(path(kind, name: name))
    }

    /// Unmounts the directories' own bind mounts (see `prepareDirectory`) and removes
    /// the directories, once nothing is pinned in them: for uninstalling and for tests
    /// that use a run directory of their own.
    public func removeDirectories() throws(SandboxError) {
        for kind in PodNamespaceKind.allCases {
            let directory = "\(runDirectory)/\(kind.directoryName)"
            guard FileManager.default.fileExists(atPath: directory) else { continue }
            guard list(kind).isEmpty else { throw .invalidConfig("\(directory) still holds namespaces: \(list(kind).joined(separator: ", "))") }
            while umount2(directory, Int32(MNT_DETACH)) == 0 {}
            guard rmdir(directory) == 0 || errno == ENOENT else { throw .namespace(operation: "rmdir \(directory)", errno: errno) }
        }
    }

    /// Makes `directory` a mount point with shared propagation, as `ip netns` does for
    /// /run/netns: a pin made later then shows in mount namespaces copied earlier (a
    /// service's private /tmp, say) and, more to the point, its unmount reaches them
    /// too, so no copy keeps a removed pod's namespace alive.
    private func prepareDirectory(_ directory: String) throws(SandboxError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .io("create \(directory): \(error.localizedDescription)")
        }
        if mount("", directory, "none", UInt(MS_SHARED | MS_REC), nil) == 0 { return }
        // EINVAL: not a mount point yet; bind it onto itself, then share it.
        guard errno == EINVAL, mount(directory, directory, "none", UInt(MS_BIND | MS_REC), nil) == 0,
              mount("", directory, "none", UInt(MS_SHARED | MS_REC), nil) == 0
        else { throw .namespace(operation: "make \(directory) a shared mount", errno: errno) }
    }

    private static func unpin(_ file: String) throws(SandboxError) {
        // Detach, so a process still in the namespace (a container being stopped)
        // does not make the unmount fail; EINVAL is a file that was never mounted.
        if umount2(file, Int32(MNT_DETACH)) != 0 && errno != EINVAL && errno != ENOENT {
            throw .namespace(operation: "unmount \(file)", errno: errno)
        }
        if unlink(file) != 0 && errno != ENOENT { throw .namespace(operation: "remove \(file)", errno: errno) }
    }

    /// Names become file names and CNI container ids: letters, digits, `_`, `.`, `-`.
    static func validate(name: String) throws(SandboxError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
        guard allowed, !name.isEmpty, name.utf8.count <= 128, name.first != ".", name.first != "-" else {
            throw .invalidConfig("\"\(name)\" is not a sandbox name (letters, digits, _ . -; up to 128; not starting with . or -)")
        }
    }
}
