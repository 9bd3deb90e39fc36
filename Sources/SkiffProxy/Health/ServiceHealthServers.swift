import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The health-check NodePorts of this node (``ServicePart/HealthCheck``), answered
/// as upstream's kube-proxy answers them: any request gets 200 while the node has
/// endpoints of the Service and 503 when it has none, with
/// `{"service":{"namespace":…,"name":…},"localEndpoints":N,"serviceProxyHealthy":true}`.
/// A port opens when its Service first asks for it and closes when it stops.
public final class ServiceHealthServers: Sendable {
    private struct Answer: Sendable {
        var service: ServiceKey
        var localEndpoints: Int
    }

    private let host: String
    private let logger: Logger
    /// What each port answers now: the handlers read it, ``update(_:)`` writes it.
    private let answers = Mutex<[UInt16: Answer]>([:])
    private let listeners = Mutex<[UInt16: any Channel]>([:])

    /// `host`: the address the ports are bound on (all of the node's: "0.0.0.0").
    public init(host: String, logger: Logger) {
        self.host = host
        self.logger = logger
    }

    /// Brings the open ports and their answers to `checks` (work only for ports
    /// that come or go). A port that cannot be bound is logged and tried again at
    /// the next update.
    public func update(_ checks: [ServiceKey: ServicePart.HealthCheck]) async {
        var wanted: [UInt16: Answer] = [:]
        for (service, check) in checks { wanted[check.port] = Answer(service: service, localEndpoints: check.localEndpoints) }
        answers.withLock { $0 = wanted }
        let open = listeners.withLock { Set($0.keys) }
        for port in open.subtracting(wanted.keys) {
            let listener = listeners.withLock { $0.removeValue(forKey: port) }
            try? await listener?.close()
        }
        for port in Set(wanted.keys).subtracting(open).sorted() {
            do {
                let listener = try await bind(port)
                listeners.withLock { $0[port] = listener }
            } catch {
                logger.warning("health check port not opened", metadata: ["port": "\(port)", "error": "\(error)"])
            }
        }
    }

    /// Closes every port.
    public func stop() async { await update([:]) }

    private func answer(on port: UInt16) -> (ServiceKey, Int)? {
        answers.withLock { $0[port] }.map { ($0.service, $0.localEndpoints) }
    }

    private func bind(_ port: UInt16) async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(HealthCheckHandler { [self] in answer(on: port) })
                }
            }
            .bind(host: host, port: Int(port)).get()
    }
}

/// Answers each request on one health-check port, then closes the connection.
private final class HealthCheckHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let answer: @Sendable () -> (ServiceKey, Int)?

    init(answer: @escaping @Sendable () -> (ServiceKey, Int)?) { self.answer = answer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        let (service, count) = answer() ?? (ServiceKey(namespace: "", name: ""), 0)
        let body = "{\"service\":{\"namespace\":\"\(service.namespace)\",\"name\":\"\(service.name)\"},"
            + "\"localEndpoints\":\(count),\"serviceProxyHealthy\":true}"
        var head = HTTPResponseHead(version: .http1_1, status: count > 0 ? .ok : .serviceUnavailable)
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "X-Content-Type-Options", value: "nosniff")
        head.headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        head.headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
