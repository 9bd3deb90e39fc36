import Foundation
import Synchronization
import Testing

@testable import SkiffAPIServer

@Suite(
    "HTTPS with HTTP/2 and HTTP/1.1", .serialized, .timeLimit(.minutes(2)),
    .enabled(if: Curl.available, "needs /usr/bin/curl"))
struct HTTPSTests {
    /// Answers with who the client is and how it came.
    static func whoami(_ request: APIRequest) -> APIResponse {
        let who = request.peerIdentity.map { "\($0.user) [\($0.groups.joined(separator: ","))]" } ?? "anonymous"
        let text = "\(who) tls=\(request.isTLS) \(request.httpVersion) auth=\(request.headers["authorization"] ?? "-")"
        return APIResponse(contentType: "text/plain", body: Array(text.utf8))
    }

    @Test(arguments: ["--http1.1", "--http2"])
    func clientCertificateNamesTheUser(version: String) async throws {
        let tls = try TLSFixture.make()
        try await withServer(tls: tls.settings, { Self.whoami($0) }) { port, _ in
            let withCertificate = try await Curl.request([
                version, "--cacert", tls.caCertificate, "--cert", tls.clientCertificate, "--key", tls.clientKey,
                "https://127.0.0.1:\(port)/whoami",
            ])
            #expect(withCertificate.exitStatus == 0, "\(withCertificate.error)")
            let http = version == "--http2" ? "HTTP/2" : "HTTP/1.1"
            #expect(withCertificate.httpVersion == http)
            #expect(withCertificate.text == "alice [dev,ops] tls=true \(http) auth=-")

            let withToken = try await Curl.request([
                version, "--cacert", tls.caCertificate, "-H", "Authorization: Bearer abc",
                "https://127.0.0.1:\(port)/whoami",
            ])
            #expect(withToken.exitStatus == 0, "\(withToken.error)")
            #expect(withToken.text == "anonymous tls=true \(http) auth=Bearer abc")
        }
    }

    @Test func certificateFromAnotherCAIsRefused() async throws {
        let tls = try TLSFixture.make()
        let calls = Mutex(0)
        try await withServer(tls: tls.settings, { request in
            calls.withLock { $0 += 1 }
            return Self.whoami(request)
        }) { port, _ in
            let response = try await Curl.request([
                "--cacert", tls.caCertificate, "--cert", tls.strangerCertificate, "--key", tls.strangerKey,
                "https://127.0.0.1:\(port)/whoami",
            ])
            #expect(response.exitStatus != 0)
        }
        #expect(calls.withLock { $0 } == 0)
    }

    @Test func plainHTTPToTheTLSPortGetsNoAnswer() async throws {
        let tls = try TLSFixture.make()
        try await withServer(tls: tls.settings, { Self.whoami($0) }) { port, _ in
            let response = try await Curl.request(["--max-time", "10", "http://127.0.0.1:\(port)/whoami"])
            #expect(response.exitStatus != 0)
        }
    }

    @Test func http2StreamsAreServedConcurrentlyOnOneConnection() async throws {
        let tls = try TLSFixture.make()
        let count = 40
        let barrier = Barrier(expected: count)
        let clients = Mutex<Set<String>>([])
        try await withServer(tls: tls.settings, { request in
            clients.withLock { _ = $0.insert(request.remoteAddress ?? "?") }
            return await barrier.arrive() ? APIResponse(status: 200) : APIResponse(status: 503)
        }) { port, _ in
            let urls = (0..<count).map { "https://127.0.0.1:\(port)/r\($0)" }
            let (status, output, error) = try await Curl.run(
                ["-sS", "--http2", "--cacert", tls.caCertificate, "--parallel", "--parallel-max", "\(count)",
                 "-w", "%{http_code} %{http_version}\n"] + urls)
            #expect(status == 0, "\(error)")
            #expect(String(decoding: output, as: UTF8.self) == String(repeating: "200 2\n", count: count))
        }
        #expect(clients.withLock { $0.count } == 1)
    }

    @Test func http2StreamingAndDisconnect() async throws {
        let tls = try TLSFixture.make()
        let script = StreamScript()
        defer { script.close() }
        try await withServer(tls: tls.settings, { _ in script.response() }) { port, _ in
            let curl = try Curl(["-sS", "-N", "--http2", "--cacert", tls.caCertificate, "https://127.0.0.1:\(port)/w"])
            var output = curl.output.makeAsyncIterator()
            var seen = ""
            #expect(await readUntil(&output, contains: "chunk-1\n", seen: &seen))
            #expect(!seen.contains("chunk-2"))
            script.next()
            #expect(await readUntil(&output, contains: "chunk-2\n", seen: &seen))
            curl.kill()
            #expect(await script.cancelled.wait())
        }
    }

    @Test func stopEndsHTTP2StreamsCleanly() async throws {
        let tls = try TLSFixture.make()
        let script = StreamScript()
        defer { script.close() }
        let server = APIHTTPServer(handler: ClosureHandler { _ in script.response() })
        let port = try await server.start(port: 0, tls: tls.settings)
        let curl = try Curl(["-sS", "-N", "--http2", "--cacert", tls.caCertificate, "https://127.0.0.1:\(port)/w"])
        var output = curl.output.makeAsyncIterator()
        var seen = ""
        #expect(await readUntil(&output, contains: "chunk-1\n", seen: &seen))
        await server.stop(gracePeriod: .seconds(10))
        #expect(script.cancelled.fired)
        while let chunk = await output.next() { seen += String(decoding: chunk, as: UTF8.self) }
        // The stream ended with END_STREAM and the connection with GOAWAY: no error for the client.
        #expect(await curl.exitStatus() == 0, "\(curl.standardError)")
        #expect(seen == "chunk-1\n")
    }

    @Test func http2OversizedBodyGets413() async throws {
        let tls = try TLSFixture.make()
        let file = try HTTPServerTests.temporaryFile(bytes: 4 << 20)
        defer { try? FileManager.default.removeItem(at: file) }
        try await withServer(tls: tls.settings, { _ in APIResponse(status: 200) }) { port, _ in
            let response = try await Curl.request([
                "--http2", "--cacert", tls.caCertificate, "--data-binary", "@\(file.path)",
                "https://127.0.0.1:\(port)/big",
            ])
            #expect(response.statusCode == 413)
            #expect(response.json?["reason"] as? String == "RequestEntityTooLarge")
        }
    }
}
