import Foundation
import Testing

/// `skiff server` refuses to start on state it must not touch.
@Suite struct ServerCommandTests {
    let skiff: SkiffBinary
    let scratch: ScratchDirectory

    init() throws {
        skiff = try SkiffBinary()
        scratch = try ScratchDirectory()
    }

    @Test func oneServerPerDataDirectory() async throws {
        let first = try skiff.startServer(["--data-dir", scratch.path])
        defer { skiff.stop(first) }
        let second = try await skiff.run(["server", "--disable-agent", "--data-dir", scratch.path])
        #expect(second.status == 1)
        #expect(second.stderr.contains("another skiff server is running with data directory \(scratch.path) (pid \(first.processIdentifier))"),
                "\(second.stderr)")
    }

    @Test func refusesACorruptDatabaseAndLeavesItAlone() async throws {
        let directory = scratch.path + "/server/db"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let garbage = Data((0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        FileManager.default.createFile(atPath: directory + "/state.db", contents: garbage)
        let outcome = try await skiff.run(["server", "--disable-agent", "--data-dir", scratch.path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("state.db"), "the error names the file: \(outcome.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/state.db")) == garbage)
    }
}
