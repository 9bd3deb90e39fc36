import NIOCore
import NIOHTTP1

/// A whole HTTP response: status, headers and body.
public struct HTTPReply: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Whether the server lets the connection carry another request.
    var keepAlive = true
}

/// The head of a streamed response and its body, chunk by chunk as it arrives.
struct HTTPStreamedReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: AsyncThrowingStream<ByteBuffer, any Error>
}

/// One request on an ``HTTPConnection`` and where its reply goes, sent down the
/// pipeline as an outbound message so the handler learns of each request on its
/// own event loop, in order.
struct HTTPExchange: Sendable {
    enum Reply: Sendable {
        /// Collect the whole body, then complete.
        case whole(EventLoopPromise<HTTPReply>)
        /// Complete with the head as soon as it arrives; the body is then yielded
        /// chunk by chunk until the server ends it or the connection closes.
        case streamed(EventLoopPromise<HTTPStreamedReply>)
    }

    var head: HTTPRequestHead
    var body: ByteBuffer?
    var reply: Reply
}

/// Writes each ``HTTPExchange``'s request and routes the reply to it. HTTP/1.1
/// keep-alive without pipelining: the pool hands a connection to one caller at a time.
final class HTTPExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPExchange
    typealias OutboundOut = HTTPClientRequestPart

    private enum State {
        case idle
        case waitingForHead(HTTPExchange.Reply)
        case collecting(EventLoopPromise<HTTPReply>, HTTPResponseHead, ByteBuffer)
        case streaming(AsyncThrowingStream<ByteBuffer, any Error>.Continuation)
    }

    private var state = State.idle

    init() {}

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard case .idle = state else {
            let error = ClientError.transport("a request is already in progress on this connection")
            fail(exchange.reply, error)
            promise?.fail(error)
            return
        }
        state = .waitingForHead(exchange.reply)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let body = exchange.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .waitingForHead(.whole(let promise))):
            state = .collecting(promise, head, context.channel.allocator.buffer(capacity: 0))
        case (.head(let head), .waitingForHead(.streamed(let promise))):
            let (body, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
            state = .streaming(continuation)
            promise.succeed(HTTPStreamedReply(status: Int(head.status.code), headers: head.headers, body: body))
        case (.body(var part), .collecting(let promise, let head, var body)):
            state = .idle  // drop the reference so the buffer stays uniquely owned
            body.writeBuffer(&part)
            state = .collecting(promise, head, body)
        case (.body(let part), .streaming(let continuation)):
            continuation.yield(part)
        case (.end, .collecting(let promise, let head, let body)):
            state = .idle
            promise.succeed(
                HTTPReply(
                    status: Int(head.status.code), headers: head.headers, body: Array(buffer: body),
                    keepAlive: head.isKeepAlive))
        case (.end, .streaming(let continuation)):
            state = .idle
            continuation.finish()
        default:
            context.fireErrorCaught(ClientError.transport("unexpected HTTP response part"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failPending(ClientError.transport("\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failPending(ClientError.transport("connection closed by the server"))
        context.fireChannelInactive()
    }

    private func failPending(_ error: ClientError) {
        switch state {
        case .waitingForHead(let reply): fail(reply, error)
        case .collecting(let promise, _, _): promise.fail(error)
        case .streaming(let continuation): continuation.finish(throwing: error)
        case .idle: break
        }
        state = .idle
    }

    private func fail(_ reply: HTTPExchange.Reply, _ error: ClientError) {
        switch reply {
        case .whole(let promise): promise.fail(error)
        case .streamed(let promise): promise.fail(error)
        }
    }
}
