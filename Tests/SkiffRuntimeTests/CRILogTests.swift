import Foundation
import Testing
@testable import SkiffRuntime
import SkiffTime

@Suite struct CRILogTests {
    let directory = NSTemporaryDirectory() + "skiff-log-\(UUID().uuidString.prefix(8))"

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ lines: [String]) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
    }

    func line(_ second: Int, _ stream: String = "stdout", _ tag: String = "F", content: String) -> String {
        String(format: "2026-12-01T10:00:%02d.000000001Z %@ %@ %@", second, stream, tag, content)
    }

    @Test func readsRotatedFilesOldestFirst() throws {
        try write("0.log.2", [line(1, content: "one")])
        try write("0.log.1", [line(2, content: "two")])
        try write("0.log", [line(3, content: "three")])
        let lines = CRILogReader.read("\(directory)/0.log")
        #expect(lines.map(\.content) == ["one", "two", "three"])
        try FileManager.default.removeItem(atPath: directory)
    }

    @Test func tailCountsAPartialRunAsOneLine() throws {
        try write("0.log", [line(1, content: "a"), line(2, "stdout", "P", content: "long-"), line(2, "stdout", "P", content: "er-"), line(2, content: "line"), line(3, content: "b")])
        let options = LogReadOptions(tailLines: 2)
        let lines = CRILogReader.read("\(directory)/0.log", options: options)
        #expect(CRILogReader.render(lines, options: options) == "long-er-line\nb\n")
        #expect(CRILogReader.read("\(directory)/0.log", options: LogReadOptions(tailLines: 0)).isEmpty)
        try FileManager.default.removeItem(atPath: directory)
    }

    @Test func sinceTimestampsAndLimitBytes() throws {
        try write("0.log", [line(1, content: "old"), line(5, "stderr", "F", content: "new"), "not a cri line", line(6, content: "newer")])
        let since = try #require(RFC3339.date("2026-12-01T10:00:05Z"))
        var options = LogReadOptions(since: since, timestamps: true)
        let lines = CRILogReader.read("\(directory)/0.log", options: options)
        #expect(CRILogReader.render(lines, options: options)
            == "2026-12-01T10:00:05.000000001Z new\n2026-12-01T10:00:06.000000001Z newer\n")
        options = LogReadOptions(limitBytes: 5)
        #expect(CRILogReader.render(CRILogReader.read("\(directory)/0.log"), options: options) == "old\nn")
        try FileManager.default.removeItem(atPath: directory)
    }

    @Test func followSeesAppendsAndRotation() async throws {
        let path = "\(directory)/0.log"
        try write("0.log", [line(1, content: "first")])
        let done = Flag()
        let stream = CRILogFollower.follow(path, pollInterval: .milliseconds(10)) { done.value }
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next()?.content == "first")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line(2, content: "appended") + "\n").utf8))
        #expect(await iterator.next()?.content == "appended")
        // Rotate as the shim does: rename, then a new file.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try write("0.log", [line(3, content: "after rotation")])
        #expect(await iterator.next()?.content == "after rotation")
        done.value = true
        #expect(await iterator.next() == nil)
        try FileManager.default.removeItem(atPath: directory)
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = false
    var value: Bool {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
