import Foundation
import SkiffAPI
import SkiffPKI
import SkiffStore
import Testing

@testable import SkiffAPIServer

/// An API server over a memory store, driven by requests in process: the routes
/// without sockets.
struct RouterFixture {
    let store = MemoryStore()
    let server: APIServer

    /// - Parameter tokens: with tokens the server authenticates as over TLS;
    ///   without, it runs as plain HTTP where everyone is admin.
    init(tokens: TokenFile? = nil) async throws {
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = tokens == nil
        configuration.tokens = tokens
        server = APIServer(store: store, configuration: configuration)
        try await server.start()
    }

    struct Reply {
        var status: Int
        var headers: APIHeaders
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }
        var message: String { json["message"] as? String ?? "" }
        var reason: String { json["reason"] as? String ?? "" }
    }

    @discardableResult
    func send(
        _ method: String, _ target: String, body: String? = nil, contentType: String? = nil,
        headers: [(String, String)] = []
    ) async -> Reply {
        var fields = headers
        if let contentType { fields.append(("Content-Type", contentType)) }
        let request = APIRequest(
            method: method, target: target, headers: APIHeaders(fields), body: Array((body ?? "").utf8), isTLS: true)
        let response = await server.handle(request)
        switch response.body {
        case .bytes(let bytes):
            return Reply(status: response.status, headers: response.headers, body: bytes)
        case .stream, .webSocket:
            return Reply(status: response.status, headers: response.headers, body: [])
        }
    }

    /// Starts a request whose answer is a stream (a watch) and returns its lines
    /// as they come.
    func stream(_ target: String, headers: [(String, String)] = []) async throws -> WatchLines {
        let request = APIRequest(method: "GET", target: target, headers: APIHeaders(headers), isTLS: true)
        let response = await server.handle(request)
        guard case .stream(let stream) = response.body else {
            throw RouterTestFailure("expected a stream, got \(response.status)")
        }
        return WatchLines(stream: stream)
    }

    /// Every key and value in the store, to check that a refused request wrote nothing.
    func storeContents() async throws -> [String: Data] {
        let store: any Store = store
        let range = try await store.range(.all)
        return Dictionary(uniqueKeysWithValues: range.kvs.map { ($0.key, $0.value) })
    }
}

/// The lines of a streamed response, read one at a time.
final class WatchLines: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator

    init(stream: AsyncThrowingStream<[UInt8], any Error>) {
        iterator = stream.makeAsyncIterator()
    }

    /// The next event as (type, object), or nil at the end.
    func next() async throws -> (type: String, object: [String: Any])? {
        guard let line = try await iterator.next() else { return nil }
        let event = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] ?? [:]
        return (event["type"] as? String ?? "", event["object"] as? [String: Any] ?? [:])
    }
}

struct RouterTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension [String: Any] {
    func at(_ path: String...) -> Any? {
        var current: Any? = self
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }
}
