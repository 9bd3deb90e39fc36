import Foundation

/// Whether a pid still names the process the runtime started: the pid plus its start
/// time since boot, which a recycled pid does not share.
enum ProcessIdentity {
    /// Field 22 of /proc/PID/stat, the process's start time in clock ticks, for a
    /// process that is still running (not a zombie waiting for its parent to reap it).
    static func startTicks(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // The command name (field 2) may hold spaces; fields after ")" start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
    }

    static func isAlive(pid: Int32, startTicks: UInt64?) -> Bool {
        guard let current = Self.startTicks(of: pid) else { return false }
        return startTicks == nil || current == startTicks
    }
}
