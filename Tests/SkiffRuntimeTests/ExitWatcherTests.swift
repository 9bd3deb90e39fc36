import Foundation
import Testing
@testable import SkiffRuntime

/// The runtime waits for processes it did not spawn (monitors are daemonized); these
/// use children of the test, which pidfds treat the same.
@Suite struct ExitWatcherTests {
    @Test func aRunningProcessIsStillRunningAtTheTimeout() throws {
        let child = try Self.spawn(["/bin/sleep", "30"])
        defer { kill(child, SIGKILL); waitpid(child, nil, 0) }
        let ticks = ProcessIdentity.startTicks(of: child)
        #expect(ExitWatcher.wait(pid: child, startTicks: ticks, timeout: 0.05) == .running)
    }

    @Test func anExitIsSeenWhileWaitingAndAZombieIsNotAlive() throws {
        let child = try Self.spawn(["/bin/sleep", "0.1"])
        defer { waitpid(child, nil, 0) }
        let ticks = try #require(ProcessIdentity.startTicks(of: child))
        #expect(ExitWatcher.wait(pid: child, startTicks: ticks, timeout: 30) == .exited)
        // Not reaped yet: a zombie, which no longer counts as the process.
        #expect(!ProcessIdentity.isAlive(pid: child, startTicks: ticks))
    }

    @Test func aPidThatNamesAnotherProcessCountsAsExited() throws {
        let child = try Self.spawn(["/bin/sleep", "30"])
        defer { kill(child, SIGKILL); waitpid(child, nil, 0) }
        let other = try #require(ProcessIdentity.startTicks(of: child)) + 1
        #expect(ExitWatcher.wait(pid: child, startTicks: other, timeout: 30) == .exited)
    }

    private static func spawn(_ arguments: [String]) throws -> pid_t {
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let result = posix_spawn(&pid, arguments[0], nil, nil, argv, environ)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        return pid
    }
}
