import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A pipe whose write end a command in a container gets as stdout and stderr, and
/// whose read end a thread drains into a bounded buffer.
///
/// The reader keeps draining past the limit (and drops the bytes), so a chatty command
/// never blocks on a full pipe. It stops at end of file, or once `finish()` says the
/// process has exited and what it left in the pipe is read: a background child that
/// inherited the write end must not keep the caller waiting.
final class CommandOutputPipe: Sendable {
    /// The descriptor to hand to the process as stdout and stderr.
    let writeEnd: Int32
    private let readEnd: Int32
    private let limit: Int
    private let state = Mutex(State())
    private let done = DispatchSemaphore(value: 0)

    private struct State {
        var bytes: [UInt8] = []
        var processExited = false
        var writeEndOpen = true
    }

    init(limit: Int) throws(PipeError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw PipeError(errno: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        readEnd = fds[0]
        writeEnd = fds[1]
        self.limit = limit
        let thread = Thread { [self] in drain() }
        thread.name = "skiff-exec-output"
        thread.start()
    }

    struct PipeError: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { "pipe: \(String(cString: strerror(errno)))" }
    }

    /// Closes this process's copy of the write end, once the command has its own.
    func closeWriteEnd() {
        let wasOpen = state.withLock { state in
            defer { state.writeEndOpen = false }
            return state.writeEndOpen
        }
        if wasOpen { close(writeEnd) }
    }

    /// Says the process has exited; returns what it wrote (at most `limit` bytes).
    func finish() async -> [UInt8] {
        closeWriteEnd()
        state.withLock { $0.processExited = true }
        let done = self.done
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                done.wait()
                continuation.resume()
            }
        }
        return state.withLock { $0.bytes }
    }

    private func drain() {
        defer {
            close(readEnd)
            done.signal()
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var ready = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            // Wake up now and then to see whether the process has exited.
            let polled = poll(&ready, 1, 50)
            if polled < 0 && errno != EINTR { return }
            if polled > 0 {
                let count = read(readEnd, &buffer, buffer.count)
                if count == 0 { return }
                if count < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return
                }
                keep(buffer[0..<count])
                continue
            }
            if state.withLock({ $0.processExited }) {
                drainWithoutWaiting(into: &buffer)
                return
            }
        }
    }

    /// What an exited process left in the pipe is there already; take it and stop.
    private func drainWithoutWaiting(into buffer: inout [UInt8]) {
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            if count <= 0 { return }
            keep(buffer[0..<count])
        }
    }

    private func keep(_ chunk: ArraySlice<UInt8>) {
        state.withLock { state in
            let room = limit - state.bytes.count
            if room > 0 { state.bytes.append(contentsOf: chunk.prefix(room)) }
        }
    }

    deinit {
        closeWriteEnd()
    }
}
