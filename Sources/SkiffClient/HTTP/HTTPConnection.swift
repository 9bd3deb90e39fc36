import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// One HTTP/1.1 keep-alive connection, plain or over TLS, carrying one request at
/// a time. The pool reuses it while the server keeps it open.
final class HTTPConnection: Sendable {
    private let channel: any Channel
    private let reusable = Mutex(true)

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to `host:port`; with `tls`, the server's certificate must name
    /// `serverName` (or the address, when nil) and chain to the context's roots.
    static func connect(
        host: String, port: Int, tls: NIOSSLContext?, serverName: String?
    ) async throws(ClientError) -> HTTPConnection {
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let tls {
                            try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                        }
                        try sync.addHTTPClientHandlers()
                        try sync.addHandler(HTTPExchangeHandler())
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            throw .transport("connect \(host):\(port): \(error)")
        }
        return HTTPConnection(channel: channel)
    }

    var isUsable: Bool { channel.isActive && reusable.withLock { $0 } }

    func markUnusable() { reusable.withLock { $0 = false } }

    func close() {
        markUnusable()
        channel.close(promise: nil)
    }

    func send(_ head: HTTPRequestHead, body: [UInt8]?) async throws(ClientError) -> HTTPReply {
        let promise = channel.eventLoop.makePromise(of: HTTPReply.self)
        write(head, body: body, reply: .whole(promise))
        do {
            let reply = try await promise.futureResult.get()
            if !reply.keepAlive { close() }
            return reply
        } catch {
            close()
            throw Self.clientError(error)
        }
    }

    func stream(_ head: HTTPRequestHead) async throws(ClientError) -> HTTPStreamedReply {
        markUnusable()
        let promise = channel.eventLoop.makePromise(of: HTTPStreamedReply.self)
        write(head, body: nil, reply: .streamed(promise))
        do { return try await promise.futureResult.get() } catch { throw Self.clientError(error) }
    }

    private func write(_ head: HTTPRequestHead, body: [UInt8]?, reply: HTTPExchange.Reply) {
        let buffer = body.map { channel.allocator.buffer(bytes: $0) }
        let exchange = HTTPExchange(head: head, body: buffer, reply: reply)
        channel.writeAndFlush(exchange).whenFailure { [channel] error in
            channel.close(promise: nil)
            switch reply {
            case .whole(let promise): promise.fail(error)
            case .streamed(let promise): promise.fail(error)
            }
        }
    }

    private static func clientError(_ error: any Error) -> ClientError {
        (error as? ClientError) ?? .transport("\(error)")
    }
}
