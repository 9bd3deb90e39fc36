#if canImport(Glibc)
import Glibc
#endif

/// The mounts the volume manager makes and removes on the host, read back from
/// /proc/self/mountinfo so that setUp is idempotent and tearDown finds every mount
/// under a pod's directory, including ones a previous kubelet made.
enum HostMounts {
    struct Entry: Equatable {
        var mountPoint: String
        var fileSystemType: String
    }

    /// Mounts a tmpfs on `directory`. With no size, the kernel's default applies
    /// (half of RAM), as upstream's setupTmpfs does without a size limit.
    static func mountTmpfs(at directory: String, sizeBytes: Int64?) throws(VolumeError) {
        let options = sizeBytes.map { "size=\($0)" } ?? ""
        let result = options.withCString { mount("tmpfs", directory, "tmpfs", 0, options.isEmpty ? nil : UnsafeRawPointer($0)) }
        guard result == 0 else {
            throw VolumeError(.systemCall, "mount tmpfs on \(directory)", errno: errno)
        }
    }

    /// Unmounts everything stacked on `mountPoint`. A mount still busy (a container
    /// that has not quite gone) is detached rather than left behind: its directory
    /// is about to be removed and nothing new can reach it.
    static func unmountAll(at mountPoint: String) throws(VolumeError) {
        while true {
            if umount2(mountPoint, 0) == 0 { continue }
            if errno == EBUSY, umount2(mountPoint, Int32(MNT_DETACH)) == 0 { continue }
            // EINVAL: nothing (more) is mounted there.
            if errno == EINVAL || errno == ENOENT { return }
            throw VolumeError(.systemCall, "unmount \(mountPoint)", errno: errno)
        }
    }

    /// The mounts at `directory` or below it, deepest first (the order to unmount in).
    static func mounts(under directory: String) throws(VolumeError) -> [Entry] {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return try current()
            .filter { $0.mountPoint == directory || $0.mountPoint.hasPrefix(prefix) }
            .sorted { $0.mountPoint.count > $1.mountPoint.count }
    }

    static func isTmpfs(_ directory: String) throws(VolumeError) -> Bool {
        try current().contains { $0.mountPoint == directory && $0.fileSystemType == "tmpfs" }
    }

    static func current() throws(VolumeError) -> [Entry] {
        guard let text = readWholeFile("/proc/self/mountinfo") else {
            throw VolumeError(.systemCall, "read /proc/self/mountinfo", errno: errno)
        }
        return parseMountInfo(text)
    }

    /// Lines of proc(5)'s mountinfo: the mount point is field 5, the file system
    /// type follows the `-` separator.
    static func parseMountInfo(_ text: String) -> [Entry] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard let separator = fields.firstIndex(of: "-"), separator >= 5, fields.count > separator + 1 else { return nil }
            return Entry(mountPoint: unescapeOctal(fields[4]), fileSystemType: fields[separator + 1])
        }
    }

    /// mountinfo writes space, tab, newline and backslash as `\040`-style escapes.
    static func unescapeOctal(_ field: String) -> String {
        var bytes: [UInt8] = []
        var input = Array(field.utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "\\"), input.count >= 3,
               let value = UInt8(String(decoding: input.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                input = input.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// proc files report a size of 0, so read until EOF.
    private static func readWholeFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { if errno == EINTR { continue }; return nil }
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
