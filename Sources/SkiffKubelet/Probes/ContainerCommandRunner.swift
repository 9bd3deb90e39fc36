import Foundation
import SkiffRuntime
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How a command run inside a container ended.
public enum ContainerCommandOutcome: Sendable, Hashable {
    /// The command exited (128 + n when signal n ended it); `output` is its stdout and
    /// stderr as written, interleaved, cut at the runner's limit.
    case exited(code: Int32, output: String)
    /// The timeout passed first and the command was killed.
    case timedOut(output: String)
}

/// Runs commands inside running containers: exec probes and exec lifecycle hooks.
public protocol ContainerCommandRunning: Sendable {
    /// Runs `command` in the container `containerID`; with a `timeout`, a command still
    /// running when it passes is killed. Cancelling the calling task kills it too.
    /// Throws when the command cannot be started.
    func run(_ command: [String], in containerID: String, timeout: Duration?) async throws(RuntimeError)
        -> ContainerCommandOutcome
}

/// Runs commands through `ContainerRuntime.exec`, stdin on /dev/null and stdout and
/// stderr into one bounded pipe, as upstream's exec prober reads them.
public struct ContainerCommandRunner: ContainerCommandRunning {
    /// Upstream keeps the first 10 KiB of a probe's output and drops the rest.
    public static let defaultOutputLimit = 10 * 1024

    public let runtime: ContainerRuntime
    public let outputLimit: Int

    public init(runtime: ContainerRuntime, outputLimit: Int = ContainerCommandRunner.defaultOutputLimit) {
        self.runtime = runtime
        self.outputLimit = outputLimit
    }

    public func run(_ command: [String], in containerID: String, timeout: Duration?) async throws(RuntimeError)
        -> ContainerCommandOutcome
    {
        let output: CommandOutputPipe
        do { output = try CommandOutputPipe(limit: outputLimit) } catch { throw .io(error.description) }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        let session: ExecSession
        do {
            session = try await runtime.exec(
                id: containerID, ExecProcessConfig(command: command), stdio: (null, output.writeEnd, output.writeEnd))
        } catch {
            output.closeWriteEnd()
            _ = await output.finish()
            throw error
        }
        output.closeWriteEnd()
        let killer = ExecKiller(session: session)
        let deadline = timeout.map { timeout in
            Task {
                try await Task.sleep(for: timeout)
                killer.kill(timedOut: true)
            }
        }
        let code = await withTaskCancellationHandler {
            await session.wait()
        } onCancel: {
            killer.kill(timedOut: false)
        }
        killer.exited()
        deadline?.cancel()
        let text = String(decoding: await output.finish(), as: UTF8.self)
        // A command that exited on its own just as the timeout passed has its own status.
        if killer.timedOut && code == 128 + SIGKILL { return .timedOut(output: text) }
        return .exited(code: code, output: text)
    }
}

/// Kills an exec'd command, and what it started in its session, at most once and not
/// once its exit is known: the pid may then be reused. (Between the shim reaping it and
/// `exited()` a window remains, as with any kill by pid.)
private final class ExecKiller: Sendable {
    private let session: ExecSession
    private let state = Mutex((exited: false, killed: false, timedOut: false))

    init(session: ExecSession) {
        self.session = session
    }

    var timedOut: Bool { state.withLock { $0.timedOut } }

    func exited() {
        state.withLock { $0.exited = true }
    }

    func kill(timedOut: Bool) {
        let pid = session.pid
        state.withLock { state in
            guard !state.exited, !state.killed else { return }
            state.killed = true
            state.timedOut = timedOut
            // The shim forwards only catchable signals; SIGKILL goes straight to the
            // process group the command leads (the shim makes it a session leader).
            if Glibc.kill(-pid, SIGKILL) != 0 { Glibc.kill(pid, SIGKILL) }
        }
    }
}
