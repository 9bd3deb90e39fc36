#if canImport(Glibc)
import Glibc
#endif

/// An exec's standard streams: the descriptors the shim hands the process, and the
/// kubelet's ends of them. Streams the client did not ask for are /dev/null; with
/// a terminal, one pseudo-terminal carries everything.
struct ExecStdio {
    /// stdin, stdout and stderr of the process.
    let child: (Int32, Int32, Int32)
    /// Where the client's stdin goes: a pipe's write end, or the terminal master.
    let input: PolledDescriptor?
    /// The process's output: stdout (everything, with a terminal) and stderr.
    let output: PolledDescriptor?
    let errorOutput: PolledDescriptor?
    /// The terminal master, for resizes and for stdin's end of file.
    let terminal: PolledDescriptor?
    /// The process's ends, closed here once the process has them.
    private let childEnds: [Int32]

    static func make(_ options: RemoteCommandOptions) throws(ExecStdioError) -> ExecStdio {
        var opened: [Int32] = []
        func fail(_ operation: String) -> ExecStdioError {
            let failure = ExecStdioError(operation: operation, errno: errno)
            opened.forEach { close($0) }
            return failure
        }
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { throw fail("open /dev/null") }
        opened.append(null)
        if options.tty {
            let terminal: PseudoTerminal
            do { terminal = try PseudoTerminal.open() } catch {
                opened.forEach { close($0) }
                throw ExecStdioError(operation: error.operation, errno: error.errno)
            }
            guard let master = PolledDescriptor(taking: terminal.master) else {
                close(terminal.slave)
                throw fail("make a wake-up pipe")
            }
            return ExecStdio(
                child: (terminal.slave, terminal.slave, terminal.slave), input: options.stdin ? master : nil,
                output: master, errorOutput: nil, terminal: master, childEnds: [terminal.slave, null])
        }
        var input: PolledDescriptor?
        var output: PolledDescriptor?
        var errorOutput: PolledDescriptor?
        var child = (null, null, null)
        if options.stdin {
            guard let pipe = ServerSystemCalls.pipe() else { throw fail("pipe") }
            opened.append(pipe.read)
            guard let end = PolledDescriptor(taking: pipe.write) else { throw fail("make a wake-up pipe") }
            input = end
            child.0 = pipe.read
        }
        if options.stdout {
            guard let pipe = ServerSystemCalls.pipe() else { throw fail("pipe") }
            opened.append(pipe.write)
            guard let end = PolledDescriptor(taking: pipe.read) else { throw fail("make a wake-up pipe") }
            output = end
            child.1 = pipe.write
        }
        if options.stderr {
            guard let pipe = ServerSystemCalls.pipe() else { throw fail("pipe") }
            opened.append(pipe.write)
            guard let end = PolledDescriptor(taking: pipe.read) else { throw fail("make a wake-up pipe") }
            errorOutput = end
            child.2 = pipe.write
        }
        return ExecStdio(
            child: child, input: input, output: output, errorOutput: errorOutput, terminal: nil, childEnds: opened)
    }

    /// Once the process holds its ends (or never will): the kubelet keeps none, so the
    /// kubelet's reads see end of file when the process is done.
    func closeChildEnds() {
        childEnds.forEach { close($0) }
    }
}

struct ExecStdioError: Error, CustomStringConvertible {
    var operation: String
    var errno: Int32
    var description: String { "\(operation): \(ServerSystemCalls.errorText(errno))" }
}
