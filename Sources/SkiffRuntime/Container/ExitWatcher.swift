import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// Waits for a process that is not the runtime's child (a container's monitor, or its
/// process when the monitor is gone) to end, through a pidfd: it becomes readable when
/// the process exits, so a short container is seen to end when it ends.
///
/// The monitor renames its exit file into place and then exits, so once it has gone the
/// file is there (or the monitor died without writing it). Watching the directory with
/// inotify gave the same wake-up, but closing an inotify instance waits for an SRCU
/// grace period: 5–23 ms of a container's wait on these machines (docs/benchmarks.md).
enum ExitWatcher {
    enum Outcome: Equatable {
        /// The process has exited (or the pid no longer names it).
        case exited
        /// It was still running when the timeout passed.
        case running
    }

    /// Blocks until `pid`, started at `startTicks` (clock ticks since boot), exits or
    /// `timeout` seconds pass.
    static func wait(pid: Int32, startTicks: UInt64?, timeout: Double) -> Outcome {
        let fd = pidfd_open(pid, 0)
        guard fd >= 0 else {
            // ESRCH: gone already. Anything else (no pidfd on this kernel): look again
            // after the timeout, as a poll would.
            if errno == ESRCH { return .exited }
            usleep(UInt32(max(0, min(timeout, 1)) * 1_000_000))
            return ProcessIdentity.isAlive(pid: pid, startTicks: startTicks) ? .running : .exited
        }
        defer { close(fd) }
        // Checked once the pidfd holds the process: a pid recycled before the open names
        // another process, whose start time differs.
        guard ProcessIdentity.isAlive(pid: pid, startTicks: startTicks) else { return .exited }
        var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(max(0, timeout * 1000).rounded(.up))
        return poll(&ready, 1, milliseconds) > 0 ? .exited : .running
    }
}
