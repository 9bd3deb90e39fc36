import Foundation
import Testing
@testable import SkiffRuntime

/// The repository checkout, found from this file (Tests/SkiffRuntimeTests/…).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// Builds the project's busybox OCI layout (scripts/build-test-image) into `directory`.
func buildTestImage(into directory: String) async throws {
    try await runTool("\(repositoryRoot)/scripts/build-test-image", [directory])
}

/// Runs a program to completion; throws with its output when it fails. Waits
/// without blocking a thread: tests run on the shared cooperative pool, and a
/// blocked pool stalls every other test's pulls.
func runTool(_ executable: String, _ arguments: [String]) async throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-image-tool-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: output) }
    let handle = try FileHandle(forWritingTo: output)
    defer { try? handle.close() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = handle
    process.standardError = handle
    let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do { try process.run() } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    guard status == 0 else {
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        throw FixtureError("\(executable) \(arguments.joined(separator: " ")) exited \(status): \(text)")
    }
}

/// A free TCP port on 127.0.0.1 (bound to port 0, read back, closed).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw FixtureError("socket: \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw FixtureError("bind: \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Waits until something accepts TCP connections on 127.0.0.1:port.
func waitForLoopbackPort(_ port: Int, process: Process) async throws {
    for _ in 0..<200 {
        guard process.isRunning else { throw FixtureError("the server exited with status \(process.terminationStatus)") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        close(fd)
        if connected { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw FixtureError("nothing listens on 127.0.0.1:\(port)")
}

/// A child process the test started, killed by pid (never by name) and reaped.
final class ChildProcess {
    let process: Process

    init(_ executable: String, _ arguments: [String], log: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}

/// Debian's docker-registry (distribution 2.8) on 127.0.0.1, storing under the
/// test's directory, with the busybox test image pushed as busybox:latest and v2.
final class LocalRegistry {
    let directory: TemporaryDirectory
    let port: Int
    let layout: String
    private let child: ChildProcess

    var authority: String { "127.0.0.1:\(port)" }
    var storage: String { "\(directory.path)/storage" }

    init() async throws {
        directory = try TemporaryDirectory()
        layout = "\(directory.path)/layout"
        try await buildTestImage(into: layout)
        port = try freeLoopbackPort()
        let config = """
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: \(directory.path)/storage
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:\(port)
            """
        try config.write(toFile: "\(directory.path)/config.yml", atomically: false, encoding: .utf8)
        child = try ChildProcess(
            "/usr/bin/docker-registry", ["serve", "\(directory.path)/config.yml"], log: "\(directory.path)/registry.log")
        try await waitForLoopbackPort(port, process: child.process)
        for tag in ["latest", "v2"] {
            try await runTool("/usr/bin/skopeo", [
                "--insecure-policy", "copy", "--quiet", "--dest-tls-verify=false", "oci:\(layout):\(tag)", "docker://\(authority)/busybox:\(tag)",
            ])
        }
    }

    func reference(_ tag: String = "latest") throws -> ImageReference {
        try ImageReference(parsing: "\(authority)/busybox:\(tag)")
    }

    /// The registry's file for a blob (distribution's filesystem layout).
    func blobData(_ digest: Digest) -> String {
        "\(storage)/docker/registry/v2/blobs/sha256/\(digest.hex.prefix(2))/\(digest.hex)/data"
    }
}

/// The layer blob of the test image (the largest blob in its layout).
func largestBlob(in layout: String) throws -> Digest {
    let blobs = "\(layout)/blobs/sha256"
    let names = try FileManager.default.contentsOfDirectory(atPath: blobs)
    let largest = try #require(names.max { (fileStatus("\(blobs)/\($0)")?.st_size ?? 0) < (fileStatus("\(blobs)/\($1)")?.st_size ?? 0) })
    return try Digest(parsing: "sha256:\(largest)")
}
