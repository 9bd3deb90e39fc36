import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A program started with posix_spawn, its standard streams on pipes.
///
/// Not Foundation's `Process`: on Linux its `run()` scans `/proc/self/fd` with a
/// 256-byte copy of each directory entry's name and now and then reads past the
/// end of glibc's buffer (swift-corelibs-foundation #5472). A test process with
/// many servers, pipes and sockets open hit that as a SIGSEGV that ended the
/// whole command suite. The descriptors to close here are listed with
/// FileManager, which reads entry names by their length.
struct SpawnedProgram {
    let pid: pid_t
    let stdin: FileHandle
    let stdout: FileHandle
    let stderr: FileHandle

    init(_ path: String, _ arguments: [String]) throws {
        let input = try Self.makePipe(), output = try Self.makePipe(), errors = try Self.makePipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.read, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        // Nothing else of this process's: an inherited pipe would keep another
        // test's reader waiting for end of file as long as this program runs.
        for descriptor in Self.openDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, environ)
        for descriptor in [input.read, output.write, errors.write] { close(descriptor) }
        guard result == 0 else {
            for descriptor in [input.write, output.read, errors.read] { close(descriptor) }
            throw CommandTestFailure("cannot start \(path): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        stdin = FileHandle(fileDescriptor: input.write, closeOnDealloc: true)
        stdout = FileHandle(fileDescriptor: output.read, closeOnDealloc: true)
        stderr = FileHandle(fileDescriptor: errors.read, closeOnDealloc: true)
    }

    /// Writes `input` (if any) and closes standard input, so the program sees its end.
    func send(_ input: String?) throws {
        if let input { try stdin.write(contentsOf: Data(input.utf8)) }
        try stdin.close()
    }

    /// What the program writes, collected by a thread per pipe that holds the pipe
    /// until end of file; `drained` is left when both reached it.
    final class Output: Sendable {
        let data = Mutex((stdout: Data(), stderr: Data()))
        let drained = DispatchGroup()
    }

    func collectOutput() -> Output {
        let output = Output()
        for (handle, isError) in [(stdout, false), (stderr, true)] {
            output.drained.enter()
            Thread.detachNewThread {
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    output.data.withLock { isError ? $0.stderr.append(chunk) : $0.stdout.append(chunk) }
                }
                output.drained.leave()
            }
        }
        return output
    }

    /// Blocks its thread until the program ends: its exit status, or the signal
    /// that ended it (as `Process.terminationStatus` reports both).
    func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : signal
    }

    /// A pipe whose ends are closed in every other child (the program gets copies).
    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            throw CommandTestFailure("pipe: \(String(cString: strerror(errno)))")
        }
        // (pipe2 is not in Swift's Glibc module; every spawner here closes what it
        // does not pass on anyway, so the moment without the flag does no harm.)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    private static func openDescriptors() -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.compactMap { Int32($0) }
    }
}
