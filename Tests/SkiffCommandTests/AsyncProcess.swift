import Foundation
import Synchronization

extension SkiffBinary {
    /// Runs a program to its end without holding a thread of the shared
    /// cooperative pool (only two on these machines): output is collected by
    /// dispatch's readability handlers and the end awaited through the
    /// termination handler, so long kubectl waits never starve other tests.
    static func runAsync(_ path: String, _ arguments: [String], input: String? = nil) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        // A class, so the reader threads (which may outlive this call by a moment)
        // share one heap object rather than a captured non-copyable local.
        let collected = CollectedOutput()
        let drained = DispatchGroup()
        for (pipe, isError) in [(output, false), (errors, true)] {
            // A thread of its own per pipe, which holds the pipe until end of file: a
            // dispatch readability handler would outlive a pipe closed under it.
            drained.enter()
            Thread.detachNewThread {
                let handle = pipe.fileHandleForReading
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    collected.data.withLock { isError ? $0.stderr.append(chunk) : $0.stdout.append(chunk) }
                }
                drained.leave()
            }
        }
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { ended in
                // The pipes reach end of file once every holder of their write ends closed
                // them — also a process another test started at the same moment, which may
                // have inherited them and live on. So end of file is waited for only briefly.
                _ = drained.wait(timeout: .now() + 2)
                continuation.resume(returning: ended.terminationStatus)
            }
            do {
                try process.run()
                if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
                try stdin.fileHandleForWriting.close()
            } catch {
                process.terminationHandler = nil
                // The readers end when the write ends close.
                try? output.fileHandleForWriting.close()
                try? errors.fileHandleForWriting.close()
                continuation.resume(throwing: error)
            }
        }
        let result = collected.data.withLock { $0 }
        return Outcome(
            status: status, stdout: String(decoding: result.stdout, as: UTF8.self),
            stderr: String(decoding: result.stderr, as: UTF8.self))
    }
}

/// What a program wrote, filled by one reader thread per pipe.
private final class CollectedOutput: Sendable {
    let data = Mutex((stdout: Data(), stderr: Data()))
}
