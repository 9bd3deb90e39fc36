import Foundation
import Testing

/// Runs the `skiff` executable that `swift build` put beside this test binary.
struct SkiffBinary {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let path: String

    init() throws {
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        // The test binary sits in <bin>/SkiffPackageTests.xctest or directly in <bin>.
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("skiff").path
            if FileManager.default.isExecutableFile(atPath: candidate) {
                path = candidate
                return
            }
            directory.deleteLastPathComponent()
        }
        throw CommandTestFailure("no skiff executable near \(testBinary): build it with `swift build --build-tests`")
    }

    /// Runs `skiff ARGS` with `input` on standard input and waits for it.
    @discardableResult
    func run(_ arguments: [String], input: String? = nil) async throws -> Outcome {
        try await Self.run(path, arguments, input: input)
    }

    /// Runs the program at `path` with `input` on standard input and waits for it,
    /// without holding a thread of the cooperative pool (see `runAsync`).
    static func run(_ path: String, _ arguments: [String], input: String? = nil) async throws -> Outcome {
        try await runAsync(path, arguments, input: input)
    }

    /// The same, blocking its thread: for static initializers, which cannot await, and
    /// for synchronous helpers that only talk to programs outside this process (a
    /// blocked pool thread then waits, but cannot deadlock a server in this process).
    static func runBlocking(_ path: String, _ arguments: [String], input: String? = nil) throws -> Outcome {
        let program = try SpawnedProgram(path, arguments)
        try? program.send(input)
        let output = program.collectOutput()
        output.drained.wait()
        let (stdout, stderr) = output.data.withLock { $0 }
        return Outcome(
            status: program.waitForExit(), stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

extension SkiffBinary {
    /// Starts `skiff server ARGS` on a free loopback port and returns once it logs
    /// that its API server is ready.
    func startServer(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["server", "--bind-address", "127.0.0.1", "--https-port", "0", "--disable-agent"] + arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        var log = Data()
        let handle = errors.fileHandleForReading
        while !String(decoding: log, as: UTF8.self).contains("api server ready") {
            let chunk = handle.availableData
            if chunk.isEmpty {
                process.waitUntilExit()
                throw CommandTestFailure("skiff server exited before it was ready: \(String(decoding: log, as: UTF8.self))")
            }
            log.append(chunk)
        }
        // Keep draining so the server never blocks on a full pipe, on a thread that
        // holds the pipe until end of file (a dispatch handler could outlive it).
        Thread.detachNewThread { [errors] in
            while !errors.fileHandleForReading.availableData.isEmpty {}
        }
        return process
    }

    /// Stops a server started by ``startServer(_:)`` and returns its exit status.
    @discardableResult
    func stop(_ server: Process) -> Int32 {
        server.terminate()
        server.waitUntilExit()
        return server.terminationStatus
    }
}

struct CommandTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A fresh directory removed when the test ends.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-cmd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
