import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The few file operations volumes need, as system calls with their errno, so that a
/// failure says which path and why, and modes are exactly what was asked (no umask).
enum VolumeFileSystem {
    /// Creates `path` and missing parents; `path` itself ends with `mode` whatever the
    /// umask, as upstream's emptyDir setupDir does. Parents get `parentMode`, by
    /// default 0750 (the kubelet's pod directories).
    static func makeDirectory(_ path: String, mode: mode_t, parentMode: mode_t = 0o750) throws(VolumeError) {
        var parents: [String] = []
        var current = path
        while !current.isEmpty, current != "/", !exists(current) {
            parents.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for directory in parents.reversed() {
            let wanted = directory == path ? mode : parentMode
            guard mkdir(directory, wanted) == 0 || errno == EEXIST else {
                throw VolumeError(.systemCall, "mkdir \(directory)", errno: errno)
            }
            try setMode(directory, wanted)
        }
        guard isDirectory(path) else { throw VolumeError(.systemCall, "\(path) is not a directory", errno: ENOTDIR) }
        // Compare permission bits only, as Go's Perm(): a tmpfs root's sticky bit stays.
        if (permissions(path) ?? 0) & 0o777 != mode & 0o777 { try setMode(path, mode) }
    }

    static func setMode(_ path: String, _ mode: mode_t) throws(VolumeError) {
        guard chmod(path, mode) == 0 else { throw VolumeError(.systemCall, "chmod \(path)", errno: errno) }
    }

    /// Writes a new file (it must not exist) with exactly `mode`.
    static func writeNewFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(VolumeError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw VolumeError(.systemCall, "create \(path)", errno: errno) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw VolumeError(.systemCall, "write \(path)", errno: errno)
            }
            written += count
        }
        guard fchmod(fd, mode) == 0 else { throw VolumeError(.systemCall, "chmod \(path)", errno: errno) }
    }

    /// The bytes of a regular file that is not a symlink; nil when there is none.
    static func readRegularFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { if errno == EINTR { continue }; return nil }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }

    /// The target of a symlink; nil when `path` does not exist, an error when it is
    /// something else than a symlink.
    static func readLink(_ path: String) throws(VolumeError) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        if count < 0 {
            if errno == ENOENT { return nil }
            throw VolumeError(.systemCall, "readlink \(path)", errno: errno)
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func makeSymlink(_ path: String, to target: String) throws(VolumeError) {
        guard symlink(target, path) == 0 else { throw VolumeError(.systemCall, "symlink \(path) -> \(target)", errno: errno) }
    }

    static func rename(_ from: String, _ to: String) throws(VolumeError) {
        guard Glibc.rename(from, to) == 0 else { throw VolumeError(.systemCall, "rename \(from) to \(to)", errno: errno) }
    }

    /// Removes a file, symlink (not what it points to) or directory tree; a missing
    /// path is fine. Callers make sure nothing is mounted below `path`.
    static func removeTree(_ path: String) throws(VolumeError) {
        guard exists(path) else { return }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw VolumeError(.systemCall, "remove \(path): \(error.localizedDescription)")
        }
    }

    /// The names in a directory (without `.` and `..`); empty when it does not exist.
    static func entries(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// Relative paths of everything below `directory`, not following symlinks.
    static func walk(_ directory: String) -> [String] {
        var paths: [String] = []
        func visit(_ relative: String) {
            for name in entries(relative.isEmpty ? directory : directory + "/" + relative) {
                let path = relative.isEmpty ? name : relative + "/" + name
                paths.append(path)
                if isDirectory(directory + "/" + path, followingSymlinks: false) { visit(path) }
            }
        }
        visit("")
        return paths
    }

    /// lstat: whether anything, even a dangling symlink, is at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isDirectory(_ path: String, followingSymlinks: Bool = true) -> Bool {
        var info = stat()
        let result = followingSymlinks ? stat(path, &info) : lstat(path, &info)
        return result == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The permission bits (with setuid, setgid and sticky) of what `path` names.
    static func permissions(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }
}

extension VolumeFileSystem {
    /// The path with symlinks resolved, as mountinfo shows mount points; the path
    /// itself when it cannot be resolved.
    static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
