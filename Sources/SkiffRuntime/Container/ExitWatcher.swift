import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waits for a container's exit file with inotify rather than polling, so a short
/// container is seen to end when it ends (the start benchmark depends on it).
enum ExitWatcher {
    /// Blocks until `file` exists or `timeout` passes; returns whether it exists.
    static func wait(for file: String, timeout: Double) -> Bool {
        let directory = (file as NSString).deletingLastPathComponent
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { return FileManager.default.fileExists(atPath: file) }
        defer { close(fd) }
        // The shim renames exit.json.tmp into place: IN_MOVED_TO; IN_CREATE for safety.
        guard inotify_add_watch(fd, directory, UInt32(IN_MOVED_TO | IN_CREATE)) >= 0 else {
            return FileManager.default.fileExists(atPath: file)
        }
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            // Checked after the watch is in place, so an exit between the two is not missed.
            if FileManager.default.fileExists(atPath: file) { return true }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return false }
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(remaining * 1000, 1000).rounded(.up))
            if poll(&ready, 1, milliseconds) > 0 { _ = read(fd, &buffer, buffer.count) }
        }
    }
}
