import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A pipe end, terminal master or socket read and written without blocking
/// Swift's threads: each read or write waits in poll(2) on a queue of its own,
/// together with a wake-up pipe, so ``cancel()`` ends a wait at once (a read
/// blocked in read(2) could not be woken safely). Reads happen only when asked for,
/// so a slow consumer slows the producer instead of filling memory. The
/// descriptor is closed by ``close()`` or when the last reference goes.
final class PolledDescriptor: Sendable {
    let fd: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// Held around each (non-blocking) system call on `fd`, so ``close()`` never
    /// closes it under one, nor lets one reach a number reused by another file.
    private let isOpen = Mutex(true)
    private let readQueue = DispatchQueue(label: "skiff.kubelet.descriptor.read")
    private let writeQueue = DispatchQueue(label: "skiff.kubelet.descriptor.write")

    /// Takes ownership of `fd`; nil (and `fd` closed) when no wake-up pipe can be made.
    init?(taking fd: Int32) {
        guard let wake = ServerSystemCalls.pipe() else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
        wakeRead = wake.read
        wakeWrite = wake.write
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close()
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    /// Ends every wait, now and later: reads return nil, writes false. Idempotent.
    func cancel() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)
    }

    /// Cancels and closes the descriptor now (a pipe's reader then sees end of file).
    func close() {
        cancel()
        isOpen.withLock { open in
            guard open else { return }
            open = false
            Glibc.close(fd)
        }
    }

    /// The next bytes; nil at end of file, on an error (a terminal master reads EIO
    /// once the other side is gone) or after ``cancel()``.
    func read(upTo count: Int = 32 << 10) async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            readQueue.async { continuation.resume(returning: self.blockingRead(upTo: count)) }
        }
    }

    /// Writes all of `bytes`; false when the descriptor failed or was cancelled first.
    func write(_ bytes: [UInt8]) async -> Bool {
        await withCheckedContinuation { continuation in
            writeQueue.async { continuation.resume(returning: self.blockingWrite(bytes)) }
        }
    }

    /// The result of one system call on the open descriptor, with its errno; nil once closed.
    private func attempt(_ call: (Int32) -> Int) -> (result: Int, errno: Int32)? {
        isOpen.withLock { open in
            guard open else { return nil }
            let result = call(fd)
            return (result, errno)
        }
    }

    private func blockingRead(upTo count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            guard let (n, failure) = attempt({ fd in buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } })
            else { return nil }
            if n > 0 { return Array(buffer[0..<n]) }
            if n == 0 { return nil }
            guard failure == EAGAIN || failure == EINTR else { return nil }
            guard waitUntilReady(events: Int16(POLLIN)) else { return nil }
        }
    }

    private func blockingWrite(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard let (n, failure) = attempt({ fd in bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } })
            else { return false }
            if n > 0 {
                offset += n
                continue
            }
            guard n < 0, failure == EAGAIN || failure == EINTR else { return false }
            guard waitUntilReady(events: Int16(POLLOUT)) else { return false }
        }
        return true
    }

    /// False once cancelled.
    private func waitUntilReady(events: Int16) -> Bool {
        var fds = [pollfd(fd: fd, events: events, revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while poll(&fds, 2, -1) < 0 {
            guard errno == EINTR else { return false }
        }
        // Hang-up or an error on fd is for the next read or write itself to report.
        return fds[1].revents == 0
    }
}
