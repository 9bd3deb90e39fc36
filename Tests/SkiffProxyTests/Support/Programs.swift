import Foundation
import Synchronization

let isRoot = getuid() == 0
let needsRoot = "needs root: creates network namespaces and programs nftables in them"

/// Runs a program to its end without blocking a cooperative thread; returns its
/// status and its stdout and stderr together.
@discardableResult
func runProgram(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let output = Mutex(Data())
    let drained = DispatchGroup()
    drained.enter()
    Thread.detachNewThread {
        let handle = pipe.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            output.withLock { $0.append(chunk) }
        }
        drained.leave()
    }
    let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
        process.terminationHandler = { ended in
            _ = drained.wait(timeout: .now() + 2)
            continuation.resume(returning: ended.terminationStatus)
        }
        do { try process.run() } catch {
            process.terminationHandler = nil
            try? pipe.fileHandleForWriting.close()
            continuation.resume(throwing: error)
        }
    }
    try? pipe.fileHandleForWriting.close()
    return (status, String(decoding: output.withLock { $0 }, as: UTF8.self))
}

struct ProgramFailed: Error, CustomStringConvertible {
    var description: String
}

/// Runs a program that must succeed.
@discardableResult
func must(_ executable: String, _ arguments: [String]) async throws -> String {
    let (status, output) = try await runProgram(executable, arguments)
    guard status == 0 else {
        throw ProgramFailed(description: "\(executable) \(arguments.joined(separator: " ")) exited \(status): \(output)")
    }
    return output
}
