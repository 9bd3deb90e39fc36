import Foundation
import Synchronization
import Testing

@testable import SkiffAPIServer

/// A streamed response the test drives: `chunk-1` at once, each next chunk when the
/// test opens the gate, and a record of how the stream ended for its producer.
final class StreamScript: Sendable {
    let chunks: Int
    let cancelled = Signal()
    let finished = Signal()
    private let gate: AsyncStream<Void>
    private let gateOpener: AsyncStream<Void>.Continuation

    init(chunks: Int = 3) {
        self.chunks = chunks
        (gate, gateOpener) = AsyncStream<Void>.makeStream()
    }

    /// Lets the producer send the next chunk.
    func next() { gateOpener.yield() }

    /// Releases a producer still waiting, at the end of a test.
    func close() { gateOpener.finish() }

    func response() -> APIResponse {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        continuation.onTermination = { [cancelled, finished] reason in
            if case .cancelled = reason { cancelled.fire() } else { finished.fire() }
        }
        let gate = self.gate
        let chunks = self.chunks
        Task {
            var opens = gate.makeAsyncIterator()
            for index in 1...chunks {
                if index > 1, await opens.next() == nil { break }
                continuation.yield(Array("chunk-\(index)\n".utf8))
            }
            continuation.finish()
        }
        return APIResponse(contentType: "application/json", stream: stream)
    }
}

/// Reads a running curl's output until it contains a text.
func readUntil(_ output: inout AsyncStream<[UInt8]>.Iterator, contains text: String, seen: inout String) async -> Bool {
    while !seen.contains(text) {
        guard let chunk = await output.next() else { return false }
        seen += String(decoding: chunk, as: UTF8.self)
    }
    return true
}

@Suite("HTTP streaming responses", .serialized, .timeLimit(.minutes(2)), .enabled(if: Curl.available, "needs /usr/bin/curl"))
struct HTTPStreamingTests {
    /// The client sees each chunk before the producer makes the next: nothing waits
    /// for the end of the response.
    func expectIncrementalDelivery(curlArguments: [String], url: String, script: StreamScript) async throws {
        let curl = try Curl(["-sS", "-N", "-D", "-"] + curlArguments + [url])
        var output = curl.output.makeAsyncIterator()
        var seen = ""
        #expect(await readUntil(&output, contains: "chunk-1\n", seen: &seen))
        #expect(!seen.contains("chunk-2"))
        script.next()
        #expect(await readUntil(&output, contains: "chunk-2\n", seen: &seen))
        #expect(!seen.contains("chunk-3"))
        script.next()
        #expect(await readUntil(&output, contains: "chunk-3\n", seen: &seen))
        while let chunk = await output.next() { seen += String(decoding: chunk, as: UTF8.self) }
        #expect(await curl.exitStatus() == 0, "\(curl.standardError)")
        #expect(seen.hasSuffix("chunk-1\nchunk-2\nchunk-3\n"))
        #expect(seen.lowercased().contains("content-type: application/json"))
        if curlArguments.contains("--http1.1") {
            #expect(seen.lowercased().contains("transfer-encoding: chunked"))
        }
        #expect(await script.finished.wait())
    }

    @Test func chunksAreFlushedAsTheyComeOverHTTP1() async throws {
        let script = StreamScript()
        defer { script.close() }
        try await withServer({ _ in script.response() }) { port, _ in
            try await expectIncrementalDelivery(
                curlArguments: ["--http1.1"], url: "http://127.0.0.1:\(port)/watch", script: script)
        }
    }

    @Test func clientDisconnectEndsTheProducer() async throws {
        let script = StreamScript()
        defer { script.close() }
        try await withServer({ _ in script.response() }) { port, _ in
            try await RawConnection.with(port: port) { connection in
                try await connection.send(Array("GET /watch HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
                let seen = try await connection.read(through: Array("chunk-1\n".utf8))
                #expect(seen != nil)
            }
            // The producer never yields again, yet learns that nobody listens.
            #expect(await script.cancelled.wait())
        }
    }

    @Test func streamsKeepTheConnectionForTheNextRequest() async throws {
        try await withServer({ request in
            if request.path == "/watch" {
                let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
                continuation.yield(Array("a".utf8))
                continuation.yield([])
                continuation.yield(Array("b".utf8))
                continuation.finish()
                return APIResponse(contentType: "text/plain", stream: stream)
            }
            return APIResponse(contentType: "text/plain", body: Array("c".utf8))
        }) { port, _ in
            let (status, output, error) = try await Curl.run([
                "-sS", "--http1.1", "-w", "%{num_connects}",
                "http://127.0.0.1:\(port)/watch", "http://127.0.0.1:\(port)/plain",
            ])
            #expect(status == 0, "\(error)")
            #expect(String(decoding: output, as: UTF8.self) == "ab1c0")
        }
    }

    @Test func producerErrorAbortsTheResponse() async throws {
        struct Broken: Error {}
        try await withServer({ _ in
            let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            continuation.yield(Array("partial".utf8))
            continuation.finish(throwing: Broken())
            return APIResponse(contentType: "text/plain", stream: stream)
        }) { port, _ in
            let (status, output, _) = try await Curl.run(["-sS", "--http1.1", "http://127.0.0.1:\(port)/x"])
            // curl reports the missing end of the chunked body.
            #expect(status == 18)
            #expect(String(decoding: output, as: UTF8.self) == "partial")
        }
    }

    @Test func stopEndsOpenStreamsCleanly() async throws {
        let script = StreamScript()
        defer { script.close() }
        let server = APIHTTPServer(handler: ClosureHandler { _ in script.response() })
        let port = try await server.start(port: 0, tls: nil)
        let curl = try Curl(["-sS", "-N", "--http1.1", "http://127.0.0.1:\(port)/watch"])
        var output = curl.output.makeAsyncIterator()
        var seen = ""
        #expect(await readUntil(&output, contains: "chunk-1\n", seen: &seen))
        await server.stop(gracePeriod: .seconds(10))
        #expect(script.cancelled.fired)
        while let chunk = await output.next() { seen += String(decoding: chunk, as: UTF8.self) }
        // A clean end of the chunked body, so the client re-lists or re-watches, as after a timeout.
        #expect(await curl.exitStatus() == 0, "\(curl.standardError)")
        #expect(seen == "chunk-1\n")
    }

    @Test func slowReaderHoldsBackTheWriterInsteadOfBuffering() async throws {
        // 64 MiB offered as fast as possible to a client that reads nothing: the
        // server must stop taking elements once the socket is full.
        let taken = Counter()
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 << 10)
        let done = Signal()
        try await withServer({ _ in
            let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream(
                bufferingPolicy: .bufferingOldest(1))
            continuation.onTermination = { _ in done.fire() }
            Task {
                for _ in 0..<1024 {
                    while case .dropped = continuation.yield(chunk) {
                        if done.fired { return }
                        try? await Task.sleep(for: .milliseconds(1))
                    }
                    // A terminated stream takes nothing: count only what went in while it lived.
                    if done.fired { return }
                    taken.increment()
                }
                continuation.finish()
            }
            return APIResponse(contentType: "application/octet-stream", stream: stream)
        }) { port, _ in
            let accepted = try await RawConnection.with(port: port) { connection in
                try await connection.send(Array("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
                // Once the response has begun (a loaded machine may take a while),
                // give the server ample opportunity to overrun; then check it did
                // not, while the client is still connected (closing it ends the stream).
                try? await eventually { taken.value > 0 }
                try await Task.sleep(for: .milliseconds(500))
                return taken.value
            }
            #expect(accepted > 0)
            #expect(accepted < 512, "the server took \(accepted) × 64 KiB from the producer for a client reading nothing")
            #expect(await done.wait())
        }
    }
}
