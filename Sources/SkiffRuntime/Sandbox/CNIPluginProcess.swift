import Foundation
import SkiffProcess
#if canImport(Glibc)
import Glibc
#endif

/// Runs one CNI plugin executable once, as the CNI spec says: the command and its
/// arguments in the environment, the configuration on stdin, the result or error JSON
/// on stdout. Spawned with posix_spawn (Swift never forks) and a clean signal mask.
struct CNIPluginProcess {
    struct Output {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        var succeeded: Bool { status == 0 }
    }

    let executable: String
    let environment: [String]
    /// A network namespace file to start the plugin in (the node's, when the agent
    /// itself runs elsewhere, as in tests); nil starts it in the caller's.
    let networkNamespace: String?

    func run(stdin input: [UInt8]) throws(SandboxError) -> Output {
        guard let stdinPipe = LinuxNamespaceCalls.closeOnExecPipe(),
              let stdoutPipe = LinuxNamespaceCalls.closeOnExecPipe(),
              let stderrPipe = LinuxNamespaceCalls.closeOnExecPipe()
        else { throw .io("pipe: \(String(cString: strerror(errno)))") }
        var parentEnds = [stdinPipe.write, stdoutPipe.read, stderrPipe.read]
        defer { parentEnds.forEach { if $0 >= 0 { close($0) } } }
        let childEnds = [stdinPipe.read, stdoutPipe.write, stderrPipe.write]
        let spawned = Result { () throws(SandboxError) in try spawn(stdio: childEnds) }
        // The child has its copies; ours must go, or the reads below never see EOF.
        childEnds.forEach { close($0) }
        let pid = try spawned.get()
        // Plugins read all of stdin before they write (the skel library does), and
        // configurations are far below a pipe's buffer; write all, then read both.
        input.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(stdinPipe.write, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 { if errno == EINTR { continue } else { break } }
                offset += written
            }
        }
        close(stdinPipe.write)
        parentEnds[0] = -1
        let (stdout, stderr) = Self.readBoth(stdoutPipe.read, stderrPipe.read)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED: low 7 bits zero; a signalled plugin reports 128 + signal, as a shell does.
        let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Output(status: exitStatus, stdout: stdout, stderr: stderr)
    }

    private func spawn(stdio: [Int32]) throws(SandboxError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in stdio.enumerated() { posix_spawn_file_actions_adddup2(&actions, source, Int32(target)) }
        var attributes = posix_spawnattr_t()
        initCleanSignalAttributes(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        let executable = self.executable
        let networkNamespace = self.networkNamespace
        let spawnHere = { () throws(SandboxError) -> pid_t in
            var pid: pid_t = 0
            let result = posix_spawn(&pid, executable, &actions, &attributes, &argv, &envp)
            guard result == 0 else { throw .io("cannot start CNI plugin \(executable): \(String(cString: strerror(result)))") }
            return pid
        }
        guard let networkNamespace else { return try spawnHere() }
        // A child starts in its parent thread's namespaces: enter the node's on a
        // thread of its own, spawn from there, and let the thread end.
        return try DedicatedThread.run { () throws(SandboxError) -> pid_t in
            let fd = open(networkNamespace, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .namespace(operation: "open \(networkNamespace)", errno: errno) }
            defer { close(fd) }
            guard LinuxNamespaceCalls.setns(fd, LinuxNamespaceCalls.newNetwork) == 0 else {
                throw .namespace(operation: "enter \(networkNamespace)", errno: errno)
            }
            return try spawnHere()
        }
    }

    /// Reads two pipes to their ends together, so a plugin filling one never waits on us.
    private static func readBoth(_ first: Int32, _ second: Int32) -> ([UInt8], [UInt8]) {
        var outputs: [[UInt8]] = [[], []]
        var fds = [pollfd(fd: first, events: Int16(POLLIN), revents: 0), pollfd(fd: second, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while fds.contains(where: { $0.fd >= 0 }) {
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in fds.indices where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = read(fds[index].fd, &buffer, buffer.count)
                if count > 0 {
                    outputs[index] += buffer[0..<count]
                } else if count == 0 || errno != EINTR {
                    fds[index].fd = -1   // poll skips negative descriptors; the caller closes
                }
            }
        }
        return (outputs[0], outputs[1])
    }
}
