#if canImport(Glibc)
import Glibc
#endif

/// An flock(2) on a file under the store root. Locks belong to the open file, so
/// they exclude other processes (`skiff image` beside a running agent) and other
/// tasks of this process alike. Released on ``release()`` or deinit.
final class StoreLock {
    enum Mode { case shared, exclusive }

    private var fd: Int32

    /// Waits for the lock; `nil` only when `wait` is false and someone holds it.
    init?(path: String, mode: Mode, wait: Bool) throws(ImageError) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LayerDirectory.failure("open lock \(path)") }
        let operation = (mode == .shared ? LOCK_SH : LOCK_EX) | (wait ? 0 : LOCK_NB)
        while flock(fd, operation) != 0 {
            if errno == EINTR { continue }
            let code = errno
            release()
            if code == EWOULDBLOCK { return nil }
            throw ImageError(.storage, "cannot lock \(path)", cause: SystemCallError(operation: "flock", errno: code))
        }
    }

    deinit { release() }

    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }
}
