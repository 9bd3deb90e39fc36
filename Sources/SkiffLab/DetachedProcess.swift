import Foundation
import SkiffProcess
#if canImport(Glibc)
import Glibc
#endif

/// Lab components run on after `skiff lab up` exits: each starts in a session of
/// its own (no terminal hang-up reaches it), with a clean signal mask, stdin from
/// /dev/null, its output appended to a log and no other descriptor.
public enum DetachedProcess {
    private static let setSession: Int32 = 0x80   // POSIX_SPAWN_SETSID (glibc ≥ 2.26)

    public static func spawn(_ executable: String, _ arguments: [String], log: String) throws -> Int32 {
        var attributes = posix_spawnattr_t()
        initCleanSignalAttributes(&attributes, extraFlags: setSession)
        defer { posix_spawnattr_destroy(&attributes) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of ours: a pipe or socket inherited from whoever ran `lab up`
        // would keep that caller waiting for end of file as long as the lab runs.
        // (glibc's addclosefrom_np is not in Swift's Glibc module: close each one open.)
        for descriptor in openDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw LabError("cannot start \(executable): \(String(cString: strerror(result)))") }
        return pid
    }

    private static func openDescriptors() -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        // The directory listing itself holds one descriptor that is closed by now.
        return entries.compactMap { Int32($0) }.filter { fcntl($0, F_GETFD) >= 0 }
    }

    /// The kernel's start time of `pid` (field 22 of /proc/PID/stat, in clock
    /// ticks since boot); nil when no such process runs.
    public static func startTime(of pid: Int32) -> UInt64? {
        statField(22, of: pid).flatMap { UInt64($0) }
    }

    /// Field `number` (counted from 1, as proc(5) does) of /proc/PID/stat; nil when
    /// no such process runs. The command, field 2, may hold spaces and parentheses:
    /// the fields after it are counted from its last ")".
    public static func statField(_ number: Int, of pid: Int32) -> Substring? {
        guard number > 2, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        return fields.count > number - 3 ? fields[number - 3] : nil
    }

    /// Whether the recorded process still runs (and is not a reuse of its pid).
    public static func isRunning(_ process: LabState.Process) -> Bool {
        startTime(of: process.pid) == process.startTime && !isZombie(process.pid)
    }

    /// SIGTERM, up to `grace` for it to end, then SIGKILL; only if it is the process recorded.
    public static func stop(_ process: LabState.Process, grace: Duration = .seconds(15)) {
        guard isRunning(process) else { return }
        kill(process.pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning(process), ContinuousClock.now < deadline { usleep(50_000) }
        if isRunning(process) { kill(process.pid, SIGKILL) }
        while isRunning(process) { usleep(20_000) }
        reap(process.pid)
    }

    /// A process that has ended but whose parent (this one, if `up` is still
    /// running) has not collected it.
    private static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: end)...].split(separator: " ").first == "Z"
    }

    private static func reap(_ pid: Int32) {
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
    }
}
