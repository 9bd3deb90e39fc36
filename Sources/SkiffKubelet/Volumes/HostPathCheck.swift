#if canImport(Glibc)
import Glibc
#endif

/// hostPath's `type` checks, with upstream's wording (pkg/volume/hostpath): the
/// OrCreate types make a missing directory (0755) or empty file (0644); the others
/// require what is there (following symlinks) to be of that type.
enum HostPathCheck {
    static func check(_ path: String, type: String?) throws(VolumeError) {
        switch type ?? "" {
        case "":
            return
        case "DirectoryOrCreate":
            if !exists(path) { return try makeDirectory(path) }
            try expect(path, "Directory", "directory")
        case "Directory":
            try expect(path, "Directory", "directory")
        case "FileOrCreate":
            if !exists(path) { return try makeFile(path) }
            try expect(path, "File", "file")
        case "File":
            try expect(path, "File", "file")
        case "Socket":
            try expect(path, "Socket", "socket file")
        case "CharDevice":
            try expect(path, "CharDevice", "character device")
        case "BlockDevice":
            try expect(path, "BlockDevice", "block device")
        case let other:
            throw VolumeError(.hostPathType, "\(other) is an invalid volume type")
        }
    }

    private static func expect(_ path: String, _ type: String, _ description: String) throws(VolumeError) {
        guard exists(path) else { throw VolumeError(.hostPathType, "hostPath \(path) doesn't exist") }
        let actual: String
        do { actual = try fileType(path) } catch {
            throw VolumeError(
                .hostPathType, "hostPath type check failed, \(path) is not a \(description), unable to determine its type: \(error.detail)")
        }
        guard actual == type else {
            throw VolumeError(.hostPathType, "hostPath type check failed: \(path) is not a \(description), it's a \(actual)")
        }
    }

    /// upstream's hostutil GetFileType, by stat (symlinks followed).
    static func fileType(_ path: String) throws(VolumeError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw VolumeError(.systemCall, "stat \(path)", errno: errno) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return "Directory"
        case S_IFREG: return "File"
        case S_IFSOCK: return "Socket"
        case S_IFCHR: return "CharDevice"
        case S_IFBLK: return "BlockDevice"
        default: throw VolumeError(.hostPathType, "only recognise file, directory, socket, block device and character device")
        }
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// os.MkdirAll(path, 0755): missing parents too; the process umask applies, as upstream.
    private static func makeDirectory(_ path: String) throws(VolumeError) {
        var missing: [String] = []
        var current = path
        while current.count > 1, !exists(current) {
            missing.append(current)
            current = String(current[..<(current.lastIndex(of: "/") ?? current.startIndex)])
        }
        for directory in missing.reversed() where mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw VolumeError(.systemCall, "mkdir \(directory)", errno: errno)
        }
    }

    /// os.OpenFile(path, O_CREATE, 0644): the parent must exist, as upstream.
    private static func makeFile(_ path: String) throws(VolumeError) {
        let fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw VolumeError(.systemCall, "create \(path)", errno: errno) }
        close(fd)
    }
}
