import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import NIOSSL

/// One HTTP/2 connection to an etcd member (h2c for `http://`, TLS with ALPN h2
/// for `https://`), carrying each gRPC call on a stream of its own.
final class GRPCConnection: Sendable {
    let endpoint: EtcdEndpoint
    private let channel: any Channel
    private let multiplexer: NIOHTTP2Handler.AsyncStreamMultiplexer<Void>

    /// The flow-control window per stream: large enough that a value near the
    /// store's limit arrives without waiting for many window updates.
    private static let streamWindow = 4 << 20

    private init(endpoint: EtcdEndpoint, channel: any Channel, multiplexer: NIOHTTP2Handler.AsyncStreamMultiplexer<Void>) {
        self.endpoint = endpoint
        self.channel = channel
        self.multiplexer = multiplexer
    }

    static func connect(
        to endpoint: EtcdEndpoint, sslContext: NIOSSLContext?, group: any EventLoopGroup, timeout: Duration
    ) async throws -> GRPCConnection {
        if endpoint.isTLS && sslContext == nil {
            throw GRPCTransportError("\(endpoint) needs TLS settings")
        }
        var configuration = NIOHTTP2Handler.Configuration()
        configuration.connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: 100),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 1 << 16),
            HTTP2Setting(parameter: .initialWindowSize, value: streamWindow),
        ]
        configuration.stream.targetWindowSize = streamWindow
        // etcd's gRPC server pings with its flow-control estimates, a few per
        // burst of answers: thousands of calls a minute exceed NIO's default of
        // 200 control frames per 30 s, which it treats as an attack.
        configuration.connection.controlFrameRateLimit.maximumCount = 10_000
        configuration.connection.controlFrameRateLimit.windowLength = .seconds(1)
        let http2 = configuration
        let tls = endpoint.isTLS ? sslContext : nil
        let host = endpoint.host
        let serverName = endpoint.isIPAddress ? nil : host
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(timeout))
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
        do {
            let (channel, multiplexer) = try await bootstrap.connect(host: host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    // etcd never opens streams towards the client.
                    let multiplexer = try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(
                        mode: .client, configuration: http2
                    ) { stream in stream.eventLoop.makeSucceededVoidFuture() }
                    try channel.pipeline.syncOperations.addHandler(GRPCConnectionErrorHandler())
                    return (channel, multiplexer)
                }
            }
            return GRPCConnection(endpoint: endpoint, channel: channel, multiplexer: multiplexer)
        } catch {
            throw GRPCTransportError("cannot connect to etcd at \(endpoint): \(error)")
        }
    }

    /// False once the connection closed or broke.
    var isActive: Bool { channel.isActive }

    func close() {
        channel.close(promise: nil)
    }

    /// Calls `path` with one request message and returns the one response message.
    /// - Throws: ``GRPCStatus`` when etcd refuses the call, ``GRPCTransportError``
    ///   when the answer does not come (connection lost, `timeout` passed).
    func unary(_ path: String, _ request: [UInt8], timeout: Duration) async throws -> [UInt8] {
        let messages = NIOLockedValueBox<[[UInt8]]>([])
        try await call(path, request, halfClose: true, timeout: timeout) { message in
            messages.withLockedValue { $0.append(message) }
            return true
        }
        let received = messages.withLockedValue { $0 }
        guard received.count == 1 else {
            throw GRPCTransportError("\(path) answered \(received.count) messages instead of one")
        }
        return received[0]
    }

    /// Calls `path` with one request and hands each response message to `receive`
    /// (on the connection's event loop) until it returns false, the task is
    /// cancelled, `timeout` (if any) passes, or the server ends the call.
    /// `halfClose: false` keeps the request side open, as etcd's Watch needs
    /// (it ends watches when the client half-closes).
    /// - Throws: what `receive` throws; ``GRPCStatus`` if etcd ends the call with
    ///   an error; ``GRPCTransportError`` if the connection breaks or time runs out;
    ///   `CancellationError` when the task is cancelled.
    func call(
        _ path: String, _ request: [UInt8], halfClose: Bool, timeout: Duration?,
        receive: @escaping @Sendable ([UInt8]) throws -> Bool
    ) async throws {
        let done = channel.eventLoop.makePromise(of: Void.self)
        let handler = GRPCCallHandler(
            headers: requestHeaders(path, timeout: timeout), request: GRPCFraming.frame(request),
            halfClose: halfClose, lost: GRPCTransportError("the connection to etcd at \(endpoint) was lost during \(path)"),
            receive: receive, done: done)
        let stream: any Channel
        do {
            stream = try await multiplexer.openStream { stream in
                stream.eventLoop.makeCompletedFuture {
                    try stream.pipeline.syncOperations.addHandler(handler)
                    return stream
                }
            }
        } catch {
            let failure = GRPCTransportError("cannot open a stream to etcd at \(endpoint): \(error)")
            done.fail(failure)
            throw failure
        }
        let endpoint = self.endpoint
        let deadline = timeout.map { timeout in
            stream.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                handler.fail(GRPCTransportError("etcd at \(endpoint) did not answer \(path) within \(timeout)"))
                stream.close(promise: nil)
            }
        }
        defer { deadline?.cancel() }
        // Closing the stream resets it, so etcd drops a watch.
        try await withTaskCancellationHandler {
            try await done.futureResult.get()
        } onCancel: {
            stream.eventLoop.execute {
                handler.fail(CancellationError())
                stream.close(promise: nil)
            }
        }
    }

    private func requestHeaders(_ path: String, timeout: Duration?) -> HPACKHeaders {
        var headers: HPACKHeaders = [
            ":method": "POST",
            ":scheme": endpoint.isTLS ? "https" : "http",
            ":path": path,
            ":authority": endpoint.authority,
            "content-type": "application/grpc",
            "te": "trailers",
            "user-agent": "skiff",
        ]
        if let timeout {
            // grpc-timeout takes at most eight digits; milliseconds cover a day.
            let milliseconds = min(Int64((timeout / .milliseconds(1)).rounded(.up)), 99_999_999)
            headers.add(name: "grpc-timeout", value: "\(milliseconds)m")
        }
        return headers
    }
}

/// Runs one gRPC call on its HTTP/2 stream channel: writes the request once the
/// stream is active, feeds the response frames through a ``GRPCResponseReader``,
/// and completes `done` once, when the call ends whichever way.
final class GRPCCallHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let headers: HPACKHeaders
    private let request: ByteBuffer
    private let halfClose: Bool
    private let lost: GRPCTransportError
    private let receive: @Sendable ([UInt8]) throws -> Bool
    private let done: EventLoopPromise<Void>
    // The rest is touched on the stream's event loop only.
    private var reader = GRPCResponseReader()
    private var finished = false

    init(
        headers: HPACKHeaders, request: ByteBuffer, halfClose: Bool, lost: GRPCTransportError,
        receive: @escaping @Sendable ([UInt8]) throws -> Bool, done: EventLoopPromise<Void>
    ) {
        self.headers = headers
        self.request = request
        self.halfClose = halfClose
        self.lost = lost
        self.receive = receive
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        // A write that fails (the stream was refused, the connection broke) ends the call.
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { [self] error in
            finish(.failure(GRPCTransportError("\(lost.description): \(error)")))
            context.close(promise: nil)
        }
        context.write(wrapOutboundOut(.headers(.init(headers: headers))), promise: nil)
        context.writeAndFlush(
            wrapOutboundOut(.data(.init(data: .byteBuffer(request), endStream: halfClose))), promise: written)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        do {
            try reader.consume(unwrapInboundIn(data))
            while let message = try reader.nextMessage() {
                guard try receive(message) else {
                    finish(.success(()))
                    context.close(promise: nil)
                    return
                }
            }
            if let status = reader.status {
                finish(status.code == .ok ? .success(()) : .failure(status))
            }
        } catch {
            finish(.failure(error))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(lost))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(GRPCTransportError("\(lost.description): \(error)")))
        context.close(promise: nil)
    }

    /// Ends the call with `error` unless it has ended; on the event loop.
    func fail(_ error: any Error) {
        finish(.failure(error))
    }

    private func finish(_ result: Result<Void, any Error>) {
        guard !finished else { return }
        finished = true
        done.completeWith(result)
    }
}

/// Follows one gRPC response: the HTTP/2 headers, DATA cut into messages, and
/// the trailers that carry the status (or a trailers-only response).
struct GRPCResponseReader: Sendable {
    private enum Phase { case awaitingHeaders, receiving, done }
    private var phase = Phase.awaitingHeaders
    private var deframer = GRPCMessageDeframer()
    /// Set once the trailers have arrived.
    private(set) var status: GRPCStatus?

    mutating func consume(_ frame: HTTP2Frame.FramePayload) throws {
        switch frame {
        case .headers(let headers):
            let fields = headers.headers.map { (name: $0.name, value: $0.value) }
            switch phase {
            case .awaitingHeaders:
                let httpStatus = fields.first { $0.name == ":status" }?.value ?? "none"
                guard httpStatus == "200" else {
                    let detail = GRPCStatus(trailers: fields).map { ": \($0)" } ?? ""
                    throw GRPCTransportError("etcd answered HTTP status \(httpStatus)\(detail)")
                }
                if headers.endStream {
                    status = try Self.status(fields)
                    phase = .done
                } else {
                    let contentType = fields.first { $0.name == "content-type" }?.value ?? ""
                    guard contentType.hasPrefix("application/grpc") else {
                        throw GRPCTransportError("etcd answered content-type \(contentType.debugDescription), not gRPC")
                    }
                    phase = .receiving
                }
            case .receiving:
                guard headers.endStream else { throw GRPCTransportError("headers in the middle of a gRPC response") }
                status = try Self.status(fields)
                phase = .done
            case .done:
                throw GRPCTransportError("headers after the end of a gRPC response")
            }
        case .data(let data):
            guard phase == .receiving else { throw GRPCTransportError("data outside a gRPC response") }
            guard case .byteBuffer(let buffer) = data.data else { throw GRPCTransportError("unexpected file region in a gRPC response") }
            deframer.append(buffer)
            if data.endStream { throw GRPCTransportError("gRPC response ended without trailers") }
        case .rstStream(let code):
            throw GRPCTransportError("etcd reset the stream (\(code))")
        default:
            break
        }
    }

    mutating func nextMessage() throws -> [UInt8]? {
        try deframer.next()
    }

    private static func status(_ fields: [(name: String, value: String)]) throws -> GRPCStatus {
        guard let status = GRPCStatus(trailers: fields) else { throw GRPCTransportError("gRPC response without grpc-status") }
        return status
    }
}

/// Closes the connection on a connection-level error: NIO's HTTP/2 handler sends
/// GOAWAY but leaves closing to the pipeline, and until the channel closes the
/// calls on it would wait for answers that never come.
final class GRPCConnectionErrorHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTP2Frame

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
