import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a whole file through a temporary file in the same directory and a
/// rename, so a reader sees the old content or the new, never a part.
enum AtomicFile {
    /// `durable`: fsync before the rename, so the new content survives a crash of
    /// the host (the image store's); without it a host crash may leave the file
    /// empty (the runtime's own container files, which that crash ends anyway).
    static func replace(_ path: String, with bytes: some ContiguousBytes, durable: Bool) throws(SystemCallError) {
        let temporary = "\(path).tmp-\(UUID().uuidString)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemCallError(operation: "create \(temporary)", errno: errno) }
        let written = bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        let complete = written && (!durable || fsync(fd) == 0)
        close(fd)
        guard complete, rename(temporary, path) == 0 else {
            let error = SystemCallError(operation: "write \(path)", errno: errno)
            unlink(temporary)
            throw error
        }
    }

    /// A durable replace, failing as the image store reports storage errors.
    static func write(_ data: Data, to path: String) throws(ImageError) {
        do { try replace(path, with: data, durable: true) } catch {
            throw ImageError(.storage, "could not \(error.operation)", cause: error)
        }
    }
}
