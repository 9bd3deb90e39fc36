#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal pair for `exec -t`: the process gets the slave side as its
/// stdin, stdout and stderr (the shim makes it the controlling terminal); the
/// kubelet reads and writes the master side and sets its size.
struct PseudoTerminal {
    let master: Int32
    let slave: Int32

    // From <asm-generic/ioctls.h>; Swift's Glibc module does not carry them.
    private static let setWindowSize: UInt = 0x5414      // TIOCSWINSZ
    private static let getPTYNumber: UInt = 0x8004_5430   // TIOCGPTN
    private static let setPTYLock: UInt = 0x4004_5431     // TIOCSPTLCK

    /// Opens /dev/ptmx and its slave, as posix_openpt, unlockpt and ptsname would
    /// (those sit behind `_XOPEN_SOURCE` in Swift's Glibc module).
    static func open() throws(PseudoTerminalError) -> PseudoTerminal {
        let master = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw PseudoTerminalError(operation: "open /dev/ptmx", errno: errno) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, setPTYLock, &unlock) == 0, ioctl(master, getPTYNumber, &number) == 0 else {
            let failure = errno
            close(master)
            throw PseudoTerminalError(operation: "unlock the terminal", errno: failure)
        }
        let slave = Glibc.open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else {
            let failure = errno
            close(master)
            throw PseudoTerminalError(operation: "open /dev/pts/\(number)", errno: failure)
        }
        return PseudoTerminal(master: master, slave: slave)
    }

    /// Sets the terminal's size on its master (the process gets SIGWINCH).
    static func resize(master: Int32, to size: TerminalSize) {
        var window = winsize(ws_row: size.Height, ws_col: size.Width, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, setWindowSize, &window)
    }
}

struct PseudoTerminalError: Error, CustomStringConvertible {
    var operation: String
    var errno: Int32
    var description: String { "\(operation): \(ServerSystemCalls.errorText(errno))" }
}
