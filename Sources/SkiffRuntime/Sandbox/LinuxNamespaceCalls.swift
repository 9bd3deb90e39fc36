#if canImport(Glibc)
import Glibc
#endif
import SkiffProcess

/// The namespace system calls Swift's Glibc module leaves out (they sit behind
/// `_GNU_SOURCE` in <sched.h>), looked up in the C library at first use.
enum LinuxNamespaceCalls {
    static let newNetwork: Int32 = 0x4000_0000   // CLONE_NEWNET
    static let newIPC: Int32 = 0x0800_0000       // CLONE_NEWIPC
    static let newUTS: Int32 = 0x0400_0000       // CLONE_NEWUTS

    private typealias UnshareFunction = @convention(c) (Int32) -> Int32
    private typealias SetnsFunction = @convention(c) (Int32, Int32) -> Int32
    private typealias Pipe2Function = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    nonisolated(unsafe) private static let unshareFunction: UnshareFunction = lookUp("unshare")
    nonisolated(unsafe) private static let setnsFunction: SetnsFunction = lookUp("setns")
    nonisolated(unsafe) private static let pipe2Function: Pipe2Function = lookUp("pipe2")

    private static func lookUp<F>(_ name: String) -> F {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {   // RTLD_DEFAULT
            fatalError("the C library has no \(name)")
        }
        return unsafeBitCast(symbol, to: F.self)
    }

    static func unshare(_ flags: Int32) -> Int32 { unshareFunction(flags) }
    static func setns(_ fd: Int32, _ type: Int32) -> Int32 { setnsFunction(fd, type) }

    /// A pipe whose both ends are close-on-exec from the start, so a plugin spawned
    /// by another thread at the same moment cannot inherit (and hold open) this one.
    static func closeOnExecPipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe2Function(&fds, O_CLOEXEC) == 0 else { return nil }
        return (fds[0], fds[1])
    }

    /// Whether `path` is a namespace file: a bind mount that keeps a namespace alive.
    /// Every namespace file is on the one nsfs file system, so it has the device of
    /// this process's own /proc/self/ns/net.
    static func isNamespaceFile(_ path: String) -> Bool {
        var file = stat()
        var own = stat()
        return stat(path, &file) == 0 && stat("/proc/self/ns/net", &own) == 0 && file.st_dev == own.st_dev
    }
}

/// Runs work on a thread made for it and joined at once. Namespace calls (unshare,
/// setns) change the calling thread; on a fresh thread that then ends, a failure half
/// way can never leave one of Swift's shared threads in a pod's namespace.
enum DedicatedThread {
    static func run<T>(_ body: () throws(SandboxError) -> T) throws(SandboxError) -> T {
        var result: Result<T, SandboxError>?
        guard OwnThread.run({ result = Result { () throws(SandboxError) in try body() } }) else {
            throw .namespace(operation: "pthread_create", errno: EAGAIN)
        }
        return try result!.get()
    }
}
