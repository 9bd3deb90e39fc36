import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One `skiff server` per data directory: an exclusive `flock` on
/// `<data-dir>/server/server.lock`, holding the owner's pid for the error message.
/// The kernel drops the lock when the process dies, so a crash never leaves it stale.
final class ServerLock {
    private let descriptor: Int32

    init(dataDir: String) throws {
        let directory = "\(dataDir)/server"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/server.lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let owner = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw CommandFailure(
                "another skiff server is running with data directory \(dataDir)"
                    + (owner.isEmpty ? "" : " (pid \(owner))"))
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        close(descriptor)
    }
}
