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
        /// A pipe whose one end the process gets and whose other end the kubelet polls.
        func pipe(childReads: Bool) throws(ExecStdioError) -> (child: Int32, ours: PolledDescriptor) {
            guard let pipe = ServerSystemCalls.pipe() else { throw fail("pipe") }
            let (childEnd, ourEnd) = childReads ? (pipe.read, pipe.write) : (pipe.write, pipe.read)
            opened.append(childEnd)
            guard let ours = PolledDescriptor(taking: ourEnd) else { throw fail("make a wake-up pipe") }
            return (childEnd, ours)
        }
        var input: PolledDescriptor?
        var output: PolledDescriptor?
        var errorOutput: PolledDescriptor?
        var child = (null, null, null)
        if options.stdin { (child.0, input) = try pipe(childReads: true) }
        if options.stdout { (child.1, output) = try pipe(childReads: false) }
        if options.stderr { (child.2, errorOutput) = try pipe(childReads: false) }
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
