import NIOCore
import NIOHTTP1
import NIOSSL
import SkiffAPI

/// A Kubernetes API client over HTTP/1.1 keep-alive connections: typed verbs over
/// SkiffAPI's kinds (`APIClient+Verbs`), watches (`watch`), and the raw
/// ``request(_:_:query:body:contentType:)`` they are built on. Every failure is a
/// ``ClientError``; non-2xx replies carry the server's `Status`.
public final class APIClient: Sendable {
    public enum Method: String, Sendable {
        case GET, POST, PUT, PATCH, DELETE
    }

    public let configuration: ClientConfiguration
    private let pool: ConnectionPool
    private let baseHeaders: HTTPHeaders

    public init(_ configuration: ClientConfiguration) throws(ClientError) {
        self.configuration = configuration
        pool = ConnectionPool(
            host: configuration.host, port: configuration.port, tls: try configuration.tlsContext(),
            serverName: configuration.serverName, limit: configuration.maximumConnections)
        var headers = HTTPHeaders()
        let hostHeader = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        headers.add(name: "Host", value: "\(hostHeader):\(configuration.port)")
        headers.add(name: "User-Agent", value: configuration.userAgent)
        headers.add(name: "Accept", value: "application/json")
        if let authorization = configuration.authorization { headers.add(name: "Authorization", value: authorization) }
        baseHeaders = headers
    }

    /// Closes idle connections; calls after this fail.
    public func close() {
        pool.close()
    }

    /// Sends one request and returns the 2xx reply; any other status throws the
    /// error its `Status` body describes.
    @discardableResult
    public func request(
        _ method: Method, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
        contentType: String = "application/json"
    ) async throws(ClientError) -> HTTPReply {
        let head = head(method, path, query: query, bodyLength: body?.count, contentType: contentType)
        let reply = try await pool.send(head, body: body)
        guard (200..<300).contains(reply.status) else { throw ClientError.from(code: reply.status, body: reply.body) }
        return reply
    }

    /// Starts a streamed GET; returns once the head arrived with a 2xx status.
    func stream(_ path: String, query: [(String, String)]) async throws(ClientError) -> (
        HTTPConnection, AsyncThrowingStream<ByteBuffer, any Error>
    ) {
        let (connection, reply) = try await pool.stream(head(.GET, path, query: query, bodyLength: nil, contentType: ""))
        guard (200..<300).contains(reply.status) else {
            var body: [UInt8] = []
            do {
                for try await chunk in reply.body where body.count < 1 << 16 { body += Array(buffer: chunk) }
            } catch {}
            connection.close()
            throw ClientError.from(code: reply.status, body: body)
        }
        return (connection, reply.body)
    }

    private func head(
        _ method: Method, _ path: String, query: [(String, String)], bodyLength: Int?, contentType: String
    ) -> HTTPRequestHead {
        var headers = baseHeaders
        if let bodyLength {
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(bodyLength))
        }
        let uri = query.isEmpty ? path : path + "?" + PathEscaping.query(query)
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method.rawValue), uri: uri, headers: headers)
    }

    /// Decodes a reply body as `T`, ignoring fields this build does not know.
    static func decode<T: Decodable>(_ type: T.Type, _ reply: HTTPReply) throws(ClientError) -> T {
        do { return try JSONCodec.decode(type, from: reply.body) } catch {
            throw .undecodable("\(T.self): \(error)", code: reply.status)
        }
    }

    static func encode<T: Encodable>(_ value: T) throws(ClientError) -> [UInt8] {
        do { return try JSONCodec.encode(value) } catch { throw ClientError(code: 0, reason: .invalid, message: "\(error)") }
    }
}
