#if canImport(Glibc)
import Glibc
#endif

/// C library calls Swift's Glibc module leaves out (they sit behind `_GNU_SOURCE`),
/// looked up at first use.
enum ServerSystemCalls {
    static let newNetworkNamespace: Int32 = 0x4000_0000   // CLONE_NEWNET

    private typealias SetnsFunction = @convention(c) (Int32, Int32) -> Int32
    private typealias Pipe2Function = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    nonisolated(unsafe) private static let setnsFunction: SetnsFunction = lookUp("setns")
    nonisolated(unsafe) private static let pipe2Function: Pipe2Function = lookUp("pipe2")

    private static func lookUp<F>(_ name: String) -> F {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {   // RTLD_DEFAULT
            fatalError("the C library has no \(name)")
        }
        return unsafeBitCast(symbol, to: F.self)
    }

    static func setns(_ fd: Int32, _ type: Int32) -> Int32 { setnsFunction(fd, type) }

    /// A pipe whose ends are close-on-exec from the start, so no process spawned
    /// meanwhile by another thread inherits (and holds open) an end of it.
    static func pipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe2Function(&fds, O_CLOEXEC) == 0 else { return nil }
        return (fds[0], fds[1])
    }

    static func errorText(_ number: Int32) -> String {
        String(cString: strerror(number))
    }
}
