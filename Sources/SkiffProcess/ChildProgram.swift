#if canImport(Glibc)
import Glibc
#endif

/// How a program run to its end ended, and what it wrote.
public struct ProgramOutcome: Sendable {
    /// The exit status, or 128 + the signal that ended it (as a shell reports it).
    public var status: Int32
    public var output: [UInt8]
    public var errorOutput: [UInt8]

    public var succeeded: Bool { status == 0 }
    public var outputText: String { String(decoding: output, as: UTF8.self) }
    public var errorText: String { String(decoding: errorOutput, as: UTF8.self) }
}

/// A program that could not be started at all (not one that ran and failed).
public struct ProgramStartFailure: Error, CustomStringConvertible {
    public let description: String
}

/// Runs host programs (iptables-restore, ip, nsenter…) to their end.
///
/// Not Foundation's `Process`: its `run()` now and then crashes a process with many
/// descriptors open (swift-corelibs-foundation #5472), and it starts children with
/// the caller's signal mask. Here the child is started with posix_spawn (a clean
/// signal mask, default dispositions), its streams are close-on-exec pipes made with
/// pipe2 (another thread spawning at the same moment cannot inherit and hold them),
/// and the wait is `waitpid` on that one pid, on a thread made for this run.
public enum ChildProgram {
    /// Runs `command` (an absolute path, then its arguments) with `input` on its
    /// standard input (/dev/null when nil), blocking the calling thread.
    public static func run(_ command: [String], input: [UInt8]? = nil) throws(ProgramStartFailure) -> ProgramOutcome {
        var result: Result<ProgramOutcome, ProgramStartFailure> = .failure(ProgramStartFailure(description: "not run"))
        let started = OwnThread.run { result = Result { () throws(ProgramStartFailure) in try runHere(command, input: input) } }
        guard started else { throw ProgramStartFailure(description: "cannot create a thread to run \(command.first ?? "")") }
        return try result.get()
    }

    /// Like ``run(_:input:)``, for async callers: the waiting happens on a thread of
    /// its own, so no Swift concurrency thread is blocked while the program runs.
    public static func run(_ command: [String], input: [UInt8]? = nil) async throws(ProgramStartFailure) -> ProgramOutcome {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<ProgramOutcome, ProgramStartFailure>, Never>) in
            let started = OwnThread.detach {
                continuation.resume(returning: Result { () throws(ProgramStartFailure) in try runHere(command, input: input) })
            }
            if !started {
                continuation.resume(returning: .failure(ProgramStartFailure(description: "cannot create a thread to run \(command.first ?? "")")))
            }
        }
        return try result.get()
    }

    /// The first executable `name` in PATH's directories, then in the usual system
    /// ones (root's PATH may lack the sbin directories); nil when there is none.
    public static func find(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin", "/sbin"]
        return directories.lazy.map { $0 + "/" + name }.first { access($0, X_OK) == 0 }
    }

    /// Spawns, feeds and drains the child, then reaps it. Runs on a thread of its own
    /// that blocks SIGPIPE, so a child that exits before reading all its input makes
    /// the write fail with EPIPE instead of ending this process.
    private static func runHere(_ command: [String], input: [UInt8]?) throws(ProgramStartFailure) -> ProgramOutcome {
        guard let executable = command.first else { throw ProgramStartFailure(description: "no program to run") }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)

        var pipes = Pipes()
        defer { pipes.closeAll() }
        guard pipes.open(withInput: input != nil) else {
            throw ProgramStartFailure(description: "pipe2: \(String(cString: strerror(errno)))")
        }
        let pid = try spawn(executable, command, pipes: pipes)
        pipes.closeChildEnds()
        let (output, errorOutput) = pipes.exchange(input: input ?? [])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED: the low 7 bits are zero; otherwise they hold the signal.
        let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ProgramOutcome(status: exitStatus, output: output, errorOutput: errorOutput)
    }

    private static func spawn(_ executable: String, _ command: [String], pipes: Pipes) throws(ProgramStartFailure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if pipes.input.read >= 0 {
            posix_spawn_file_actions_adddup2(&actions, pipes.input.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, pipes.output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, pipes.errors.write, 2)

        var attributes = posix_spawnattr_t()
        initCleanSignalAttributes(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw ProgramStartFailure(description: "cannot run \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }
}
