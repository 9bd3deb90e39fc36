import Foundation

extension SkiffBinary {
    /// Runs a program to its end without holding a thread of the shared
    /// cooperative pool (only two on these machines): output is collected and the
    /// end awaited on threads of their own, so long kubectl waits never starve
    /// other tests.
    static func runAsync(_ path: String, _ arguments: [String], input: String? = nil) async throws -> Outcome {
        let program = try SpawnedProgram(path, arguments)
        let output = program.collectOutput()
        try? program.send(input)
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            // waitpid blocks a thread of its own, never one of the cooperative pool.
            Thread.detachNewThread {
                let status = program.waitForExit()
                // The pipes reach end of file once every holder of their write ends closed
                // them — also a grandchild that lives on (a lab's detached components
                // close them). So end of file is waited for only briefly.
                _ = output.drained.wait(timeout: .now() + 2)
                continuation.resume(returning: status)
            }
        }
        let result = output.data.withLock { $0 }
        return Outcome(
            status: status, stdout: String(decoding: result.stdout, as: UTF8.self),
            stderr: String(decoding: result.stderr, as: UTF8.self))
    }
}

