import Foundation
import SkiffAPI
import Synchronization
import Testing

@testable import SkiffAPIServer

@Suite("HTTP server over plain HTTP/1.1", .serialized, .timeLimit(.minutes(2)), .enabled(if: Curl.available, "needs /usr/bin/curl"))
struct HTTPServerTests {
    /// A handler that describes the request it got.
    static func echo(_ request: APIRequest) -> APIResponse {
        let text = """
            method=\(request.method)
            segments=\(request.pathSegments.joined(separator: "|"))
            command=\(request.query.values("command").joined(separator: "|"))
            header=\(request.headers["x-test"] ?? "")
            body=\(String(decoding: request.body, as: UTF8.self))
            tls=\(request.isTLS) identity=\(request.peerIdentity?.user ?? "none") version=\(request.httpVersion)
            """
        return APIResponse(contentType: "text/plain", body: Array(text.utf8))
    }

    @Test func requestReachesTheHandlerAndTheAnswerTheClient() async throws {
        try await withServer({ Self.echo($0) }) { port, _ in
            let response = try await Curl.request([
                "--http1.1", "-X", "PUT", "-H", "X-Test: yes", "--data-binary", "hello",
                "http://127.0.0.1:\(port)/api/v1/namespaces/a%2Fb?command=ls&command=-l",
            ])
            #expect(response.exitStatus == 0, "\(response.error)")
            #expect(response.statusCode == 200)
            #expect(response.header("content-type") == "text/plain")
            #expect(response.header("content-length") == "\(response.body.count)")
            #expect(response.header("audit-id")?.count == 36)
            #expect(
                response.text == """
                    method=PUT
                    segments=api|v1|namespaces|a/b
                    command=ls|-l
                    header=yes
                    body=hello
                    tls=false identity=none version=HTTP/1.1
                    """)
        }
    }

    @Test func keepAliveCarriesSeveralRequestsOnOneConnection() async throws {
        let clients = Mutex<[String]>([])
        try await withServer({ request in
            clients.withLock { $0.append(request.remoteAddress ?? "?") }
            return APIResponse(contentType: "text/plain", body: Array("ok".utf8))
        }) { port, _ in
            let (status, output, error) = try await Curl.run([
                "-sS", "--http1.1", "-w", " %{num_connects}",
                "http://127.0.0.1:\(port)/a", "http://127.0.0.1:\(port)/b", "http://127.0.0.1:\(port)/c",
            ])
            #expect(status == 0, "\(error)")
            #expect(String(decoding: output, as: UTF8.self) == "ok 1ok 0ok 0")
        }
        let seen = clients.withLock { $0 }
        #expect(seen.count == 3)
        #expect(Set(seen).count == 1)
    }

    @Test func bodilessStatusesKeepTheConnectionIntact() async throws {
        try await withServer({ request in
            request.path == "/gone"
                ? APIResponse(status: 204, headers: APIHeaders(), body: .bytes(Array("ignored".utf8)))
                : APIResponse(contentType: "text/plain", body: Array("ok".utf8))
        }) { port, _ in
            let (status, output, error) = try await Curl.run([
                "-sS", "--http1.1", "-w", "%{http_code} %{num_connects} ",
                "http://127.0.0.1:\(port)/gone", "http://127.0.0.1:\(port)/next",
            ])
            #expect(status == 0, "\(error)")
            #expect(String(decoding: output, as: UTF8.self) == "204 1 ok200 0 ")
        }
    }

    @Test func handlerErrorsAreStatusJSON() async throws {
        try await withServer({ request in
            if request.path == "/missing" { return .error(.pathNotFound) }
            return await APIResponse.catching {
                struct Broken: Error {}
                throw Broken()
            }
        }) { port, _ in
            let missing = try await Curl.request(["http://127.0.0.1:\(port)/missing"])
            #expect(missing.statusCode == 404)
            #expect(missing.header("content-type") == "application/json")
            #expect(missing.json?["kind"] as? String == "Status")
            #expect(missing.json?["reason"] as? String == "NotFound")
            #expect(missing.json?["code"] as? Int == 404)

            let broken = try await Curl.request(["http://127.0.0.1:\(port)/broken"])
            #expect(broken.statusCode == 500)
            #expect(broken.json?["reason"] as? String == "InternalError")
        }
    }

    @Test func headRequestsGetHeadersOnly() async throws {
        try await withServer({ _ in APIResponse(contentType: "text/plain", body: Array("twelve bytes".utf8)) }) {
            port, _ in
            let (status, output, error) = try await Curl.run(["-sS", "-I", "http://127.0.0.1:\(port)/x"])
            let response = CurlResponse(exitStatus: status, raw: output, error: error)
            #expect(response.statusCode == 200)
            #expect(response.header("content-length") == "12")
            #expect(response.body.isEmpty)
        }
    }

    @Test func bodiesUpToTheLimitArriveIntact() async throws {
        let file = try Self.temporaryFile(bytes: 2 << 20)
        defer { try? FileManager.default.removeItem(at: file) }
        try await withServer({ request in
            APIResponse(contentType: "application/octet-stream", body: request.body)
        }) { port, _ in
            let response = try await Curl.request([
                "--http1.1", "--data-binary", "@\(file.path)", "http://127.0.0.1:\(port)/upload",
            ])
            #expect(response.statusCode == 200)
            #expect(response.body == [UInt8](try Data(contentsOf: file)))
        }
    }

    @Test func oversizedBodyGets413AndTheHandlerIsNotCalled() async throws {
        let file = try Self.temporaryFile(bytes: 4 << 20)
        defer { try? FileManager.default.removeItem(at: file) }
        let calls = Mutex(0)
        try await withServer({ _ in
            calls.withLock { $0 += 1 }
            return APIResponse(status: 200)
        }) { port, _ in
            // curl asks `Expect: 100-continue` for a body this large and sends nothing after the 413.
            let response = try await Curl.request([
                "--http1.1", "--data-binary", "@\(file.path)", "http://127.0.0.1:\(port)/big",
            ])
            #expect(response.statusCode == 413)
            #expect(response.header("content-type") == "application/json")
            #expect(response.json?["reason"] as? String == "RequestEntityTooLarge")
            #expect(response.json?["code"] as? Int == 413)

            // Chunked, so the limit is found while reading.
            let chunked = try await Curl.request([
                "--http1.1", "-H", "Transfer-Encoding: chunked", "-H", "Expect:", "--data-binary", "@\(file.path)",
                "http://127.0.0.1:\(port)/big",
            ])
            #expect(chunked.statusCode == 413)
            #expect(chunked.json?["reason"] as? String == "RequestEntityTooLarge")
        }
        #expect(calls.withLock { $0 } == 0)
    }

    @Test func connectionStaysUsableAfterA413() async throws {
        let paths = Mutex<[String]>([])
        try await withServer({ request in
            paths.withLock { $0.append(request.path) }
            return APIResponse(contentType: "text/plain", body: Array("small".utf8))
        }) { port, _ in
            // A client that sends the whole body without waiting (Go's, without
            // `Expect`): the server answers 413 at once, reads and drops the rest, and
            // serves the next request on the same connection.
            try await RawConnection.with(port: port) { connection in
                let size = 4 << 20
                try await connection.send(
                    Array("POST /big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(size)\r\n\r\n".utf8))
                try await connection.send([UInt8](repeating: 0x7B, count: size))
                let refused = try #require(try await connection.readResponse())
                #expect(refused.head.hasPrefix("HTTP/1.1 413"))
                #expect(!refused.head.lowercased().contains("connection: close"))
                #expect(String(decoding: refused.body, as: UTF8.self).contains("RequestEntityTooLarge"))

                try await connection.send(Array("GET /small HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
                let next = try #require(try await connection.readResponse())
                #expect(next.head.hasPrefix("HTTP/1.1 200"))
                #expect(next.body == Array("small".utf8))
            }
        }
        #expect(paths.withLock { $0 } == ["/small"])
    }

    @Test func requestsAreServedConcurrently() async throws {
        let count = 10
        let barrier = Barrier(expected: count)
        try await withServer({ _ in
            // Each request waits until all have arrived: only a concurrent server answers 200.
            await barrier.arrive() ? APIResponse(status: 200) : APIResponse(status: 503)
        }) { port, _ in
            let urls = (0..<count).map { "http://127.0.0.1:\(port)/r\($0)" }
            let (status, output, error) = try await Curl.run(
                ["-sS", "--http1.1", "--parallel", "--parallel-max", "\(count)", "-w", "%{http_code}\n"] + urls)
            #expect(status == 0, "\(error)")
            #expect(String(decoding: output, as: UTF8.self) == String(repeating: "200\n", count: count))
        }
    }

    @Test func declinedWebSocketUpgradeIsAnOrdinaryResponse() async throws {
        let calls = Mutex(0)
        try await withServer({ request in
            calls.withLock { $0 += 1 }
            #expect(request.canUpgradeToWebSocket)
            return .error(.forbidden(user: "bob", verb: "create", resource: "pods", group: "", namespace: "default"))
        }) { port, _ in
            let response = try await Curl.request([
                "--http1.1", "-H", "Connection: Upgrade", "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13",
                "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "http://127.0.0.1:\(port)/exec",
            ])
            #expect(response.statusCode == 403)
            #expect(response.json?["reason"] as? String == "Forbidden")
        }
        #expect(calls.withLock { $0 } == 1)
    }

    @Test func upgradesTheServerDoesNotSpeakGetAnOrdinaryAnswer() async throws {
        try await withServer({ request in
            APIResponse(contentType: "text/plain", body: Array("\(request.method) \(request.headers["upgrade"] ?? "-")".utf8))
        }) { port, _ in
            // curl offers h2c on plain HTTP; the answer comes over HTTP/1.1.
            let h2c = try await Curl.request(["--http2", "http://127.0.0.1:\(port)/version"])
            #expect(h2c.statusCode == 200)
            #expect(h2c.httpVersion == "HTTP/1.1")
            #expect(h2c.text == "GET h2c")
            // kubectl's fallback for exec when WebSocket is refused.
            let spdy = try await Curl.request([
                "--http1.1", "-X", "POST", "-H", "Connection: Upgrade", "-H", "Upgrade: SPDY/3.1",
                "http://127.0.0.1:\(port)/exec",
            ])
            #expect(spdy.statusCode == 200)
            #expect(spdy.text == "POST SPDY/3.1")
            // NIO's parser reads nothing after a request that asked for an upgrade.
            #expect(spdy.header("connection") == "close")
        }
    }

    @Test func expectContinueGetsA100() async throws {
        try await withServer({ request in
            APIResponse(contentType: "text/plain", body: request.body)
        }) { port, _ in
            let response = try await Curl.request([
                "--http1.1", "-H", "Expect: 100-continue", "--data-binary", "small body", "http://127.0.0.1:\(port)/",
            ])
            #expect(String(decoding: response.raw, as: UTF8.self).hasPrefix("HTTP/1.1 100 Continue"))
            #expect(response.statusCode == 200)
            #expect(response.text == "small body")
        }
    }

    @Test func webSocketAnswerWithoutAnUpgradeRequestIs400() async throws {
        try await withServer({ _ in .webSocket(WebSocketUpgrade { _ in }) }) { port, _ in
            let response = try await Curl.request(["http://127.0.0.1:\(port)/exec"])
            #expect(response.statusCode == 400)
        }
    }

    @Test func stoppedServerRefusesConnections() async throws {
        let server = APIHTTPServer(handler: ClosureHandler { _ in APIResponse(status: 200) })
        let port = try await server.start(port: 0, tls: nil)
        #expect(try await Curl.request(["http://127.0.0.1:\(port)/"]).statusCode == 200)
        await server.stop()
        let after = try await Curl.request(["--max-time", "5", "http://127.0.0.1:\(port)/"])
        #expect(after.exitStatus != 0)
        await #expect(throws: APIHTTPServer.ServerError.alreadyStarted) {
            try await server.start(port: 0, tls: nil)
        }
    }

    static func temporaryFile(bytes: Int) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-http-\(UUID().uuidString)")
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try data.write(to: url)
        return url
    }
}

/// Lets callers through once `expected` of them are waiting.
final class Barrier: Sendable {
    private let expected: Int
    private let arrived = Mutex(0)
    private let open = Signal()

    init(expected: Int) {
        self.expected = expected
    }

    /// True when everyone arrived in time.
    func arrive() async -> Bool {
        let count = arrived.withLock { count in
            count += 1
            return count
        }
        if count >= expected { open.fire() }
        return await open.wait(upTo: .seconds(30)) && arrived.withLock { $0 } >= expected
    }
}
