import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An absolute http(s) URL split the way a connection needs it.
struct RegistryURL: Sendable, Equatable, CustomStringConvertible {
    var secure: Bool
    var host: String
    var port: Int
    /// Path and query, starting with `/`.
    var target: String

    init(secure: Bool, host: String, port: Int, target: String) {
        self.secure = secure
        self.host = host
        self.port = port
        self.target = target
    }

    /// Parses an absolute URL (a token realm, a redirect's Location).
    init(parsing text: String) throws(ImageError) {
        // URLComponents, not URL.path: that drops the trailing slash `/v2/` needs.
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw ImageError(.registryError, "the registry sent URL \(text.debugDescription), which is not an absolute http(s) URL")
        }
        secure = scheme == "https"
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = url.port ?? (secure ? 443 : 80)
        let path = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
        target = url.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }

    /// `host:port` as the Host header and error messages write it.
    var authority: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return (secure && port == 443) || (!secure && port == 80) ? host : "\(host):\(port)"
    }

    var description: String { "\(secure ? "https" : "http")://\(authority)\(target)" }

    /// A URL on the same server.
    func with(target: String) -> RegistryURL {
        RegistryURL(secure: secure, host: host, port: port, target: target)
    }
}

struct RegistryHTTPResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    /// The body, unless it went to the caller's sink.
    var body: Data
}

/// One HTTP/1.1 GET per connection over SwiftNIO, plain or TLS. Registries answer
/// few, large requests, so keep-alive buys little; a fresh connection per request
/// keeps failures (a reset mid-blob) from leaking into the next request.
struct RegistryHTTPClient: Sendable {
    /// A server that sends nothing this long while we wait fails the request,
    /// instead of hanging the pull.
    var readTimeout: TimeAmount = .seconds(60)
    var connectTimeout: TimeAmount = .seconds(15)
    private let tls: NIOSSLContext

    init() throws(ImageError) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        do { tls = try NIOSSLContext(configuration: configuration) } catch {
            throw ImageError(.storage, "cannot set up TLS", cause: DecodingFailure(error))
        }
    }

    /// GETs `url`. A 200 body goes to `sink` when one is given; any other body
    /// (errors, redirects) is collected, up to `limit` bytes, into the response.
    func get(
        _ url: RegistryURL, headers: [(String, String)], limit: Int = 4 << 20,
        sink: ((ByteBuffer) throws(ImageError) -> Void)? = nil
    ) async throws(ImageError) -> RegistryHTTPResponse {
        do {
            return try await exchange(url, headers: headers, limit: limit, sink: sink)
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError(.registryUnreachable, "cannot reach \(url.authority) (GET \(url))", cause: ConnectionFailure(error))
        }
    }

    private func exchange(
        _ url: RegistryURL, headers: [(String, String)], limit: Int, sink: ((ByteBuffer) throws(ImageError) -> Void)?
    ) async throws -> RegistryHTTPResponse {
        let tls = url.secure ? self.tls : nil
        let readTimeout = self.readTimeout
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .connect(host: url.host, port: url.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        // SNI takes names, not addresses; NIOSSL then checks the address SAN.
                        let isAddress = url.host.contains(":") || url.host.allSatisfy { $0.isNumber || $0 == "." }
                        try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: isAddress ? nil : url.host))
                    }
                    try sync.addHandler(ReadStallHandler(timeout: readTimeout))
                    try sync.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var requestHeaders = HTTPHeaders(headers)
            requestHeaders.replaceOrAdd(name: "Host", value: url.authority)
            requestHeaders.replaceOrAdd(name: "User-Agent", value: "skiff")
            requestHeaders.replaceOrAdd(name: "Connection", value: "close")
            // One write for the whole request: a server that answers and closes at
            // once must not find a second write racing its close. A failed write
            // still reads on: the reply (or the TLS error) says more than the write.
            let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.target, headers: requestHeaders)
            var writeError: (any Error)?
            do { try await outbound.write(contentsOf: [.head(head), .end(nil)]) } catch { writeError = error }

            var response: RegistryHTTPResponse?
            for try await part in inbound {
                switch part {
                case .head(let head):
                    response = RegistryHTTPResponse(status: Int(head.status.code), headers: head.headers, body: Data())
                case .body(let buffer):
                    guard let status = response?.status else { continue }
                    if status == 200, let sink {
                        try sink(buffer)
                    } else {
                        guard response!.body.count + buffer.readableBytes <= limit else {
                            throw ImageError(.registryError, "the reply to GET \(url) is larger than \(limit) bytes")
                        }
                        response!.body.append(contentsOf: buffer.readableBytesView)
                    }
                case .end:
                    if let response { return response }
                }
            }
            if let writeError { throw writeError }
            throw ImageError(.registryUnreachable, "\(url.authority) closed the connection before the reply to GET \(url) ended")
        }
    }
}

/// Closes the connection when the server sends nothing for `timeout` while we
/// are waiting to read. Unlike an idle timer, time the consumer spends not asking
/// for data (back-pressure: a slow disk, a busy task pool) does not count, so only
/// a stalled server fails the request.
private final class ReadStallHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let timeout: TimeAmount
    private var waitingSince: NIODeadline?
    private var check: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func read(context: ChannelHandlerContext) {
        if waitingSince == nil {
            waitingSince = .now()
            // One pending check at a time: it re-arms itself for the time left.
            if check == nil { scheduleCheck(context, in: timeout) }
        }
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        waitingSince = nil
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        context.fireChannelInactive()
    }

    private func scheduleCheck(_ context: ChannelHandlerContext, in delay: TimeAmount) {
        check = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            check = nil
            guard let waitingSince else { return }
            let waited = NIODeadline.now() - waitingSince
            if waited >= timeout {
                // The error first, so the reader learns why the connection closed.
                context.fireErrorCaught(ReadStalled(timeout: timeout))
                context.close(promise: nil)
            } else {
                scheduleCheck(context, in: timeout - waited)
            }
        }
    }
}

/// The server sent nothing for the read-stall timeout.
struct ReadStalled: Error, Sendable {
    var timeout: TimeAmount
}
