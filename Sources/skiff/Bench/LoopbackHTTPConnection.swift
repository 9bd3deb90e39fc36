import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An HTTP/1.1 keep-alive connection to a server on 127.0.0.1, plain (etcd's JSON
/// gateway) or over TLS (the API server), on SwiftNIO. One request at a time; a
/// watch turns the connection into a stream of lines until it is closed. It
/// connects to loopback only: benchmarks never send traffic anywhere else.
final class LoopbackHTTPConnection: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Response: Sendable {
        var status: Int
        var body: [UInt8]
    }

    let port: UInt16
    private let channel: any Channel
    /// Sent with every request, e.g. `Authorization`.
    private let defaultHeaders: HTTPHeaders

    private init(port: UInt16, channel: any Channel, defaultHeaders: HTTPHeaders) {
        self.port = port
        self.channel = channel
        self.defaultHeaders = defaultHeaders
    }

    /// Connects, over TLS when `tls` is given; the server's certificate must then
    /// name 127.0.0.1 and chain to the context's trust roots.
    static func connect(
        port: UInt16, tls: NIOSSLContext? = nil, headers: [(String, String)] = []
    ) -> EventLoopFuture<LoopbackHTTPConnection> {
        connectChannel(port: port, tls: tls).map {
            LoopbackHTTPConnection(port: port, channel: $0, defaultHeaders: HTTPHeaders(headers))
        }
    }

    /// Connects from a benchmark thread (blocking).
    convenience init(port: UInt16) throws {
        self.init(port: port, channel: try Self.connectChannel(port: port, tls: nil).wait(), defaultHeaders: [:])
    }

    private static func connectChannel(port: UInt16, tls: NIOSSLContext?) -> EventLoopFuture<any Channel> {
        ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    // No host name: NIOSSL then checks the certificate against the peer's IP address.
                    if let tls { try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: nil)) }
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(HTTPExchangeHandler())
                }
            }
            .connect(host: "127.0.0.1", port: Int(port))
            .flatMapErrorThrowing { error in
                throw Failure(description: "connect 127.0.0.1:\(port): \(error)")
            }
    }

    deinit {
        channel.close(promise: nil)
    }

    func close() {
        channel.close(promise: nil)
    }

    private func head(_ method: HTTPMethod, _ path: String, bodyLength: Int?) -> HTTPRequestHead {
        var headers = defaultHeaders
        headers.add(name: "Host", value: "127.0.0.1:\(port)")
        headers.add(name: "Accept", value: "application/json")
        if let bodyLength {
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(bodyLength))
        }
        return HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
    }

    /// Sends a request and completes with the whole reply.
    func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) -> EventLoopFuture<Response> {
        let promise = channel.eventLoop.makePromise(of: Response.self)
        let exchange = HTTPExchange(
            head: head(method, path, bodyLength: body?.count), body: body.map { ByteBuffer(bytes: $0) },
            reply: .whole(promise))
        channel.writeAndFlush(exchange).whenFailure { promise.fail($0) }
        return promise.futureResult
    }

    func request(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws -> Response {
        try await send(method, path, body: body).get()
    }

    /// POSTs a JSON body from a benchmark thread (blocking).
    func post(_ path: String, body: [UInt8]) throws -> Response {
        try send(.POST, path, body: body).wait()
    }

    /// Starts a streamed GET (a watch) and returns its status once the head
    /// arrives; every line of the body then goes to `onLine` on the connection's
    /// event loop, until the server ends the body or ``close()`` is called.
    func streamLines(
        _ path: String, onLine: @escaping @Sendable (_ line: ByteBuffer, _ readAt: Double) -> Void
    ) async throws -> Int {
        let status = channel.eventLoop.makePromise(of: Int.self)
        let exchange = HTTPExchange(
            head: head(.GET, path, bodyLength: nil), body: nil, reply: .lines(status: status, onLine: onLine))
        channel.writeAndFlush(exchange).whenFailure { status.fail($0) }
        return try await status.futureResult.get()
    }
}

extension LoopbackHTTPConnection {
    /// A TLS client context that trusts only the given CA (PEM) and speaks
    /// HTTP/1.1, so each connection carries one request at a time.
    static func tlsContext(trustingCAPEM pem: [UInt8]) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(pem))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        return try NIOSSLContext(configuration: configuration)
    }
}
