#if canImport(Glibc)
import Glibc
#endif

/// A child's standard streams: three close-on-exec pipes, the child's ends handed
/// over by posix_spawn's dup2 (which clears the flag on the copies).
struct Pipes {
    typealias Ends = (read: Int32, write: Int32)
    var input: Ends = (-1, -1)
    var output: Ends = (-1, -1)
    var errors: Ends = (-1, -1)

    private typealias Pipe2Function = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    /// pipe2 sits behind _GNU_SOURCE in <unistd.h>, out of Swift's Glibc module.
    nonisolated(unsafe) private static let pipe2: Pipe2Function = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") else {   // RTLD_DEFAULT
            fatalError("the C library has no pipe2")
        }
        return unsafeBitCast(symbol, to: Pipe2Function.self)
    }()

    mutating func open(withInput: Bool) -> Bool {
        func make() -> Ends? {
            var fds: [Int32] = [-1, -1]
            return Self.pipe2(&fds, O_CLOEXEC) == 0 ? (fds[0], fds[1]) : nil
        }
        if withInput {
            guard let ends = make() else { return false }
            input = ends
        }
        guard let out = make() else { return false }
        output = out
        guard let err = make() else { return false }
        errors = err
        return true
    }

    /// The child has its copies; ours must go, or the reads never see end of file.
    mutating func closeChildEnds() {
        Self.close(&input.read)
        Self.close(&output.write)
        Self.close(&errors.write)
    }

    mutating func closeAll() {
        for descriptor in [\Pipes.input.read, \.input.write, \.output.read, \.output.write, \.errors.read, \.errors.write] {
            Self.close(&self[keyPath: descriptor])
        }
    }

    /// Writes `input` to the child while reading its output and errors, all through
    /// one poll loop, so a child that writes before it has read everything never
    /// waits on us; returns both outputs once the child closed them.
    mutating func exchange(input bytes: [UInt8]) -> (output: [UInt8], errors: [UInt8]) {
        if input.write >= 0 {
            _ = fcntl(input.write, F_SETFL, fcntl(input.write, F_GETFL) | O_NONBLOCK)
            if bytes.isEmpty { Self.close(&input.write) }
        }
        var collected: [[UInt8]] = [[], []]
        var written = 0
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            var fds = [
                pollfd(fd: input.write, events: Int16(POLLOUT), revents: 0),
                pollfd(fd: output.read, events: Int16(POLLIN), revents: 0),
                pollfd(fd: errors.read, events: Int16(POLLIN), revents: 0),
            ]
            guard fds.contains(where: { $0.fd >= 0 }) else { break }
            // poll skips negative descriptors.
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[0].fd >= 0 && fds[0].revents != 0 {
                let count = bytes.withUnsafeBytes { write(input.write, $0.baseAddress! + written, $0.count - written) }
                if count > 0 { written += count }
                // Done, or the child closed its input (EPIPE: SIGPIPE is blocked on this thread).
                if written == bytes.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                    Self.close(&input.write)
                }
            }
            for (index, keyPath) in [(1, \Pipes.output.read), (2, \Pipes.errors.read)] where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = read(fds[index].fd, &buffer, buffer.count)
                if count > 0 {
                    collected[index - 1] += buffer[0..<count]
                } else if count == 0 || errno != EINTR {
                    Self.close(&self[keyPath: keyPath])
                }
            }
        }
        return (collected[0], collected[1])
    }

    private static func close(_ descriptor: inout Int32) {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }
}
