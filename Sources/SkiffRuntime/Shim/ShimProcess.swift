import SkiffProcess
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Starts skiff-shim with posix_spawn (Swift never forks): the spec on fd 3, the status
/// pipe on fd 4, and the given stdio, with a clean signal mask — a caller may block
/// signals (test runners do), and a container must not inherit that.
struct ShimProcess {
    let pid: pid_t
    /// The read end of the status pipe; lines arrive as the shim reports.
    let status: FileHandle

    static func spawn(shim: String, mode: String, specFile: String, stdio: (Int32, Int32, Int32)? = nil) throws(RuntimeError) -> ShimProcess {
        let specFD = open(specFile, O_RDONLY | O_CLOEXEC)
        guard specFD >= 0 else { throw .io("open \(specFile): \(String(cString: strerror(errno)))") }
        defer { close(specFD) }
        var pipeFDs: [Int32] = [-1, -1]
        // pipe2 is not in Swift's Glibc; a descriptor that leaks into a concurrent spawn
        // for a moment is closed by the shim (it closes everything above fd 4).
        guard pipe(&pipeFDs) == 0 else { throw .io("pipe: \(String(cString: strerror(errno)))") }
        for fd in pipeFDs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        defer { close(pipeFDs[1]) }
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(null) }
        let (stdin, stdout, stderr) = stdio ?? (null, null, null)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Move every source above the targets first, so no dup2 overwrites a later source.
        let sources = [stdin, stdout, stderr, specFD, pipeFDs[1]].map { fcntl($0, F_DUPFD_CLOEXEC, 10) }
        defer { sources.forEach { close($0) } }
        for (target, source) in sources.enumerated() { posix_spawn_file_actions_adddup2(&actions, source, Int32(target)) }

        var attributes = posix_spawnattr_t()
        initCleanSignalAttributes(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var pid: pid_t = 0
        let arguments = [shim, mode]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let result = posix_spawn(&pid, shim, &actions, &attributes, &argv, environ)
        guard result == 0 else {
            close(pipeFDs[0])
            throw .shim("cannot start \(shim): \(String(cString: strerror(result)))")
        }
        return ShimProcess(pid: pid, status: FileHandle(fileDescriptor: pipeFDs[0], closeOnDealloc: true))
    }

    /// Reads the next status line; nil when the shim closed the pipe without one.
    func nextStatus() -> ShimStatus? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(status.fileDescriptor, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return ShimStatus(line: Substring(decoding: line, as: UTF8.self)) }
            line.append(byte)
        }
        return nil
    }

    /// Reaps the shim process; returns its exit status.
    @discardableResult
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// The shim next to this executable (`skiff` and `skiff-shim` ship together),
    /// or `SKIFF_SHIM` when set.
    static func defaultPath() -> String {
        if let path = ProcessInfo.processInfo.environment["SKIFF_SHIM"] { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("skiff-shim").path
    }
}
