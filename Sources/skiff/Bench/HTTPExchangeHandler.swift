import NIOCore
import NIOHTTP1

/// One request on a ``LoopbackHTTPConnection`` and what to do with its reply,
/// sent down the pipeline as an outbound message so that the handler learns of
/// each request on its own event loop, in order.
struct HTTPExchange: Sendable {
    enum Reply: Sendable {
        /// Collect the whole body, then complete.
        case whole(EventLoopPromise<LoopbackHTTPConnection.Response>)
        /// A streamed body of lines (a watch): the status completes when the head
        /// arrives; each complete line is handed on, with the time its last bytes
        /// were read, as it arrives.
        case lines(status: EventLoopPromise<Int>, onLine: @Sendable (_ line: ByteBuffer, _ readAt: Double) -> Void)
    }

    var head: HTTPRequestHead
    var body: ByteBuffer?
    var reply: Reply
}

/// Writes each ``HTTPExchange``'s request and routes the reply to it. HTTP/1.1
/// keep-alive without pipelining: callers send one exchange at a time.
final class HTTPExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPExchange
    typealias OutboundOut = HTTPClientRequestPart

    private enum State {
        case idle
        case collecting(EventLoopPromise<LoopbackHTTPConnection.Response>, status: Int, body: ByteBuffer)
        case streaming(onLine: @Sendable (ByteBuffer, Double) -> Void, pending: ByteBuffer)
        case waitingForHead(HTTPExchange.Reply)
    }

    private var state = State.idle

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard case .idle = state else {
            fail(exchange.reply, LoopbackHTTPConnection.Failure(description: "a request is already in progress"))
            promise?.fail(LoopbackHTTPConnection.Failure(description: "a request is already in progress"))
            return
        }
        state = .waitingForHead(exchange.reply)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let body = exchange.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .waitingForHead(.whole(let promise))):
            state = .collecting(promise, status: Int(head.status.code), body: context.channel.allocator.buffer(capacity: 0))
        case (.head(let head), .waitingForHead(.lines(let status, let onLine))):
            state = .streaming(onLine: onLine, pending: context.channel.allocator.buffer(capacity: 0))
            status.succeed(Int(head.status.code))
        case (.body(var part), .collecting(let promise, let status, var body)):
            body.writeBuffer(&part)
            state = .collecting(promise, status: status, body: body)
        case (.body(var part), .streaming(let onLine, var pending)):
            let readAt = monotonicSeconds()
            pending.writeBuffer(&part)
            while let newline = pending.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - pending.readerIndex
                if let line = pending.readSlice(length: length), line.readableBytes > 0 { onLine(line, readAt) }
                pending.moveReaderIndex(forwardBy: 1)
            }
            pending.discardReadBytes()
            state = .streaming(onLine: onLine, pending: pending)
        case (.end, .collecting(let promise, let status, let body)):
            state = .idle
            promise.succeed(LoopbackHTTPConnection.Response(status: status, body: Array(buffer: body)))
        case (.end, .streaming):
            state = .idle
        default:
            context.fireErrorCaught(LoopbackHTTPConnection.Failure(description: "unexpected HTTP response part"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failPending(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failPending(LoopbackHTTPConnection.Failure(description: "connection closed by the server"))
        context.fireChannelInactive()
    }

    private func failPending(_ error: any Error) {
        switch state {
        case .waitingForHead(let reply): fail(reply, error)
        case .collecting(let promise, _, _): promise.fail(error)
        case .idle, .streaming: break
        }
        state = .idle
    }

    private func fail(_ reply: HTTPExchange.Reply, _ error: any Error) {
        switch reply {
        case .whole(let promise): promise.fail(error)
        case .lines(let status, _): status.fail(error)
        }
    }
}
