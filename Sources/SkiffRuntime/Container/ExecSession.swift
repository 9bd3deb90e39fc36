import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process running inside a container through `skiff-shim exec`.
public final class ExecSession: Sendable {
    /// The process's pid (host view).
    public let pid: Int32
    private let shim: ShimProcess

    init(pid: Int32, shim: ShimProcess) {
        self.pid = pid
        self.shim = shim
    }

    /// Waits until the process ends; returns its exit code (128 + signal if signalled).
    public func wait() async -> Int32 {
        let shim = self.shim
        let code = try? await Blocking.run { () -> Int32 in
            let status = shim.nextStatus()
            shim.wait()
            if case .exited(let code, _) = status { return code }
            return 255   // the shim went away without telling: report a failure
        }
        return code ?? 255
    }

    /// Sends a signal to the process (through the shim, which forwards it).
    public func signal(_ signal: Int32) {
        Glibc.kill(shim.pid, signal)
    }
}

extension ShimProcess: @unchecked Sendable {}
