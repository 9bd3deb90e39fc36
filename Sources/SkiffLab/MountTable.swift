import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This process's mounts, from /proc/self/mountinfo.
public enum MountTable {
    /// The mount points at or under `directory`, deepest first (the order to unmount in).
    public static func mountPoints(under directory: String, mountinfo: String? = nil) -> [String] {
        let text = mountinfo ?? readMountinfo()
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let points = text.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            return fields.count > 4 ? unescape(fields[4]) : nil
        }
        let inside = Set(points.filter { $0 == directory || $0.hasPrefix(prefix) })
        return inside.sorted { $0.count != $1.count ? $0.count > $1.count : $0 > $1 }
    }

    /// Detaches every mount at or under `directory` (lazily: a busy one goes when
    /// its last user does), in rounds: a mount point can hold several stacked
    /// mounts, and a shared one gets copies of its peers' mounts. Returns the mount
    /// points still there when a round detaches nothing more.
    @discardableResult
    public static func unmountAll(under directory: String) -> [String] {
        var remaining = mountPoints(under: directory)
        for _ in 0..<20 where !remaining.isEmpty {
            for point in remaining { _ = umount2(point, Int32(MNT_DETACH)) }
            let next = mountPoints(under: directory)
            if next == remaining { break }
            remaining = next
        }
        return remaining
    }

    /// The whole of /proc/self/mountinfo, read to end of file with plain reads
    /// (proc files report size 0, and the table may change while it is read).
    static func readMountinfo() -> String {
        let descriptor = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// mountinfo writes space, tab, newline and backslash as three octal digits.
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var characters = Array(field.utf8)[...]
        while let byte = characters.popFirst() {
            if byte == UInt8(ascii: "\\"), characters.count >= 3,
               let value = UInt8(String(decoding: characters.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                characters = characters.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
