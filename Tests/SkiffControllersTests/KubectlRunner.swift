import Foundation
import Synchronization
import Testing

/// The real kubectl on PATH against a test cluster's plain-HTTP port, with an
/// empty kubeconfig and a fresh discovery cache. Runs on a thread of its own:
/// waiting for the process must not block the cooperative pool, which serves
/// the in-process API server kubectl is talking to.
enum Kubectl {
    static let path: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        return path.split(separator: ":").map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(port: Int, _ arguments: [String]) async throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let kubeconfig = scratch.appendingPathComponent("config").path
        try "apiVersion: v1\nkind: Config\n".write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let executable = try #require(path)
        let full =
            ["--kubeconfig", kubeconfig, "--server", "http://127.0.0.1:\(port)", "--cache-dir",
             scratch.appendingPathComponent("cache").path, "--request-timeout", "30s"] + arguments
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = full
                let stdout = Pipe()
                let stderr = Pipe()
                process.standardOutput = stdout
                process.standardError = stderr
                process.standardInput = FileHandle.nullDevice
                do { try process.run() } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let errors = Mutex(Data())
                let reader = Thread { let data = stderr.fileHandleForReading.readDataToEndOfFile(); errors.withLock { $0 = data } }
                reader.start()
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
                continuation.resume(
                    returning: Outcome(
                        status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                        stderr: String(decoding: errors.withLock { $0 }, as: UTF8.self)))
            }
        }
    }
}
