import Foundation
@testable import SkiffKubelet
import Testing

/// `/containerLogs` against CRI log files the tests write (no root needed).
@Suite("Kubelet server logs", .serialized, .timeLimit(.minutes(2)))
struct ServerLogsTests {
    static let lines = [
        "2026-12-01T10:00:00.100000000Z stdout F one",
        "2026-12-01T10:00:01.000000000Z stderr F two",
        "2026-12-01T10:00:02.250000000Z stdout P thr",
        "2026-12-01T10:00:02.250000001Z stdout F ee",
        "not a cri line",
        "2026-12-01T10:00:03.000000000Z stdout F four",
    ]
    static let base = "/containerLogs/default/web/app"

    func withLogs(_ body: (LogFixture, Int) async throws -> Void) async throws {
        let fixture = try LogFixture()
        try fixture.write(Self.lines)
        try fixture.write(["2026-12-01T09:00:00.000000000Z stdout F before the restart"], to: fixture.previousLogPath)
        try await withKubelet(StaticDirectory([fixture.pod]), runtime: fixture.runtime) { port in
            try await body(fixture, port)
        }
    }

    @Test func theWholeLogWithPartialLinesJoinedAndBadLinesSkipped() async throws {
        try await withLogs { (_, port) async throws in
            let response = try await TestHTTP.get(port: port, Self.base)
            #expect(response.status == 200)
            #expect(response.header("content-type")?.hasPrefix("text/plain") == true)
            #expect(response.text == "one\ntwo\nthree\nfour\n")
        }
    }

    @Test func tailCountsWholeLines() async throws {
        try await withLogs { (_, port) async throws in
            #expect(try await TestHTTP.get(port: port, Self.base + "?tailLines=2").text == "three\nfour\n")
            #expect(try await TestHTTP.get(port: port, Self.base + "?tailLines=0").text == "")
            // The legacy parameter, and its `all`.
            #expect(try await TestHTTP.get(port: port, Self.base + "?tail=1").text == "four\n")
            #expect(try await TestHTTP.get(port: port, Self.base + "?tail=all&tailLines=1").text == "one\ntwo\nthree\nfour\n")
        }
    }

    @Test func sinceTimeKeepsLinesAtOrAfterIt() async throws {
        try await withLogs { (_, port) async throws in
            let since = try await TestHTTP.get(port: port, Self.base + "?sinceTime=2026-12-01T10:00:01Z")
            #expect(since.text == "two\nthree\nfour\n")
            // Every line is older than a second ago.
            #expect(try await TestHTTP.get(port: port, Self.base + "?sinceSeconds=1").text == "")
        }
    }

    @Test func timestampsAreGosRFC3339Nano() async throws {
        try await withLogs { (_, port) async throws in
            let response = try await TestHTTP.get(port: port, Self.base + "?timestamps=true&tailLines=3")
            #expect(
                response.text
                    == "2026-12-01T10:00:01Z two\n2026-12-01T10:00:02.25Z thr2026-12-01T10:00:02.250000001Z ee\n"
                    + "2026-12-01T10:00:03Z four\n")
        }
    }

    @Test func limitBytesCutsTheOutput() async throws {
        try await withLogs { (_, port) async throws in
            #expect(try await TestHTTP.get(port: port, Self.base + "?limitBytes=6").text == "one\ntw")
            #expect(try await TestHTTP.get(port: port, Self.base + "?limitBytes=6&follow=true").text == "one\ntw")
        }
    }

    @Test func aFollowerWhoseLimitIsOutStopsReading() async throws {
        try await withLogs { (fixture, port) async throws in
            #expect(try await TestHTTP.get(port: port, Self.base + "?follow=true&limitBytes=3").text == "one")
            // The container still runs, but nothing holds its log open any more.
            #expect(try await eventually { Self.openDescriptors(of: fixture.logPath) == 0 })
        }
    }

    /// How many of this process's descriptors are open on `path`.
    static func openDescriptors(of path: String) -> Int {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.filter {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path
        }.count
    }

    @Test func previousReadsTheInstanceBefore() async throws {
        try await withLogs { (_, port) async throws in
            #expect(try await TestHTTP.get(port: port, Self.base + "?previous=true").text == "before the restart\n")
        }
    }

    @Test func refusalsAreTheKubeletsWords() async throws {
        try await withLogs { (_, port) async throws in
            let noPod = try await TestHTTP.get(port: port, "/containerLogs/default/nope/app")
            #expect(noPod.status == 404)
            #expect(noPod.text == #"pod "nope" does not exist"#)
            let noContainer = try await TestHTTP.get(port: port, "/containerLogs/default/web/db")
            #expect(noContainer.status == 404)
            #expect(noContainer.text == #"container "db" not found in pod "web""#)
            let noStatus = try await TestHTTP.get(port: port, "/containerLogs/default/web/sidecar")
            #expect(noStatus.status == 400)
            #expect(noStatus.text == #"container "sidecar" in pod "web" is not available"#)
            let waiting = try await TestHTTP.get(port: port, "/containerLogs/default/web/late")
            #expect(waiting.status == 400)
            #expect(waiting.text == #"container "late" in pod "web" is waiting to start: ContainerCreating"#)
            let noPrevious = try await TestHTTP.get(port: port, "/containerLogs/default/web/late?previous=true")
            #expect(noPrevious.text == #"previous terminated container "late" in pod "web" not found"#)
            let invalid = try await TestHTTP.get(port: port, Self.base + "?tailLines=-1")
            #expect(invalid.status == 422)
            #expect(invalid.text == #"{"message": "Invalid request."}"#)
            let both = try await TestHTTP.get(port: port, Self.base + "?sinceSeconds=5&sinceTime=2026-12-01T10:00:01Z")
            #expect(both.status == 422)
            let undecodable = try await TestHTTP.get(port: port, Self.base + "?limitBytes=lots")
            #expect(undecodable.status == 400)
            #expect(undecodable.text == #"{"message": "Unable to decode query."}"#)
            #expect(try await TestHTTP.get(port: port, "/containerLogs/default/web").status == 404)
        }
    }

    @Test func followStreamsNewLinesUntilTheContainerEnds() async throws {
        try await withLogs { (fixture, port) async throws in
            let connection = try await LoopbackConnection.open(port: port)
            try await connection.send(
                Array("GET \(Self.base)?follow=true&tailLines=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
            let head = try #require(try await connection.read(through: Array("\r\n\r\n".utf8)))
            #expect(String(decoding: head, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            // The tail arrives while the container runs; then a line written later.
            let first = try #require(try await connection.read(through: Array("four\n".utf8)))
            #expect(!String(decoding: first, as: UTF8.self).contains("three"))
            try fixture.write(["2026-12-01T10:00:04.000000000Z stdout F five"])
            let later = try #require(try await connection.read(through: Array("five\n".utf8)))
            #expect(String(decoding: later, as: UTF8.self).contains("five\n"))
            // The container ends: the response ends with it.
            try fixture.end()
            let rest = try await connection.readToEnd()
            #expect(String(decoding: rest, as: UTF8.self).hasSuffix("0\r\n\r\n"))
        }
    }
}
