import SkiffAPI
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A response to an HTTP probe or hook: its status and the start of its body.
struct HTTPGetResponse: Sendable, Hashable {
    var status: Int
    var location: String?
    var body: [UInt8]
}

/// Why a GET got no response, worded as Go's http.Client words it after `Get "<url>": `.
struct HTTPGetFailure: Error, Hashable, CustomStringConvertible {
    var description: String

    static func timedOut(_ url: HTTPGetURL) -> HTTPGetFailure {
        HTTPGetFailure(description: "Get \(GoText.quote(url.description)): context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
    }

    static func failed(_ url: HTTPGetURL, _ reason: String) -> HTTPGetFailure {
        HTTPGetFailure(description: "Get \(GoText.quote(url.description)): \(reason)")
    }
}

/// HTTP/1.1 GETs to pods the way upstream's probe transport makes them: one
/// connection per request (keep-alives off), no proxy, no compression, HTTPS
/// without verifying the pod's certificate, redirects followed only to the same host
/// (at most 10), the body read up to a bound, and one timeout for all of it.
struct ProbeHTTPClient: Sendable {
    /// Upstream reads at most 10 KiB of a probe's response body.
    static let bodyLimit = 10 * 1024
    static let redirectLimit = 10

    /// Sends `request`, following redirects that stay on its host; the timeout covers
    /// connecting, every redirect and reading the body. nil: no timeout (hooks).
    func get(_ request: HTTPGetRequest, timeout: Duration?) async throws(HTTPGetFailure) -> HTTPGetResponse {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        var current = request
        var requests = 0
        while true {
            let response = try await exchange(current, deadline: deadline)
            requests += 1
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.location,
                  let next = current.url.resolving(location)
            else { return response }
            // As upstream's RedirectChecker: another host ends the chase with this
            // response, which the prober reports as a warning.
            guard next.host == request.url.host else { return response }
            guard requests < Self.redirectLimit else { throw .failed(next, "stopped after \(Self.redirectLimit) redirects") }
            // Go keeps a Host header the caller set only across relative redirects.
            if current.host != nil && Self.isAbsolute(location) { current.host = nil }
            current.url = next
        }
    }

    private static func isAbsolute(_ location: String) -> Bool {
        guard let colon = location.firstIndex(of: ":") else { return false }
        let scheme = location[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            && scheme.first!.isLetter
    }

    private func exchange(_ request: HTTPGetRequest, deadline: ContinuousClock.Instant?) async throws(HTTPGetFailure)
        -> HTTPGetResponse
    {
        let url = request.url
        let remaining = deadline.map { $0 - ContinuousClock.now }
        if let remaining, remaining <= .zero { throw .timedOut(url) }
        let tls: NIOSSLContext?
        switch url.scheme {
        case "http":
            tls = nil
        case "https":
            do { tls = try ProbeTLS.context.get() } catch { throw .failed(url, "\(error)") }
        default:
            throw .failed(url, "unsupported protocol scheme \(GoText.quote(url.scheme))")
        }
        let serverName = ProbeTLS.serverName(for: url.host)
        let head = Self.head(for: request)
        let channel: any Channel
        do {
            channel = try await ProbeDialer.bootstrap(connectTimeout: remaining)
                .channelInitializer { channel in
                    ProbeDialer.lingerNot(channel).flatMapThrowing {
                        let sync = channel.pipeline.syncOperations
                        if let tls { try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName)) }
                        try sync.addHTTPClientHandlers()
                    }
                }
                .connect(host: url.host, port: url.port).get()
        } catch ChannelError.connectTimeout {
            throw .timedOut(url)
        } catch {
            throw .failed(url, ProbeDialer.describe(error, authority: url.authority))
        }
        let promise = channel.eventLoop.makePromise(of: HTTPGetResponse.self)
        let timer: Scheduled<Void>?
        do {
            timer = try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(
                    HTTPGetResponseCollector(promise: promise, limit: Self.bodyLimit))
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                return remaining.map { remaining in
                    channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(remaining.nanoseconds))) {
                        promise.fail(HTTPGetFailure.timedOut(url))
                        channel.close(promise: nil)
                    }
                }
            }.get()
        } catch {
            channel.close(promise: nil)
            throw .failed(url, "\(error)")
        }
        defer {
            timer?.cancel()
            channel.close(promise: nil)
        }
        do {
            return try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                promise.fail(HTTPGetFailure.failed(url, "context canceled"))
                channel.close(promise: nil)
            }
        } catch let failure as HTTPGetFailure {
            throw failure
        } catch {
            throw .failed(url, Self.describe(error))
        }
    }

    private static func head(for request: HTTPGetRequest) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: request.host ?? request.url.authority)
        for header in request.headers where !(header.name == "User-Agent" && header.value.isEmpty) {
            headers.add(name: header.name, value: header.value)
        }
        headers.add(name: "Connection", value: "close")
        return HTTPRequestHead(version: .http1_1, method: .GET, uri: request.url.target, headers: headers)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed: "EOF"
        case let error as IOError: "read: " + String(cString: strerror(error.errnoCode)).lowercased()
        default: "\(error)"
        }
    }
}

/// Collects one response: its status, Location and up to `limit` bytes of its body.
/// Completes at the end of the body, or as soon as the limit is reached (the rest is
/// not waited for), or with what came when the server closes after the head.
private final class HTTPGetResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<HTTPGetResponse>
    private let limit: Int
    private var response: HTTPGetResponse?
    private var completed = false

    init(promise: EventLoopPromise<HTTPGetResponse>, limit: Int) {
        self.promise = promise
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !completed else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            response = HTTPGetResponse(status: Int(head.status.code), location: head.headers.first(name: "Location"), body: [])
        case .body(var buffer):
            guard var response else { return }
            let room = limit - response.body.count
            response.body += buffer.readBytes(length: min(room, buffer.readableBytes)) ?? []
            self.response = response
            if response.body.count >= limit { complete(context: context) }
        case .end:
            complete(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if response != nil { complete(context: context) } else { fail(ChannelError.eof) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS peer that closes without close_notify after a whole response is common.
        if response != nil, case NIOSSLError.uncleanShutdown = error { return complete(context: context) }
        fail(error)
        context.close(promise: nil)
    }

    private func complete(context: ChannelHandlerContext) {
        guard !completed, let response else { return }
        completed = true
        promise.succeed(response)
        context.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        guard !completed else { return }
        completed = true
        promise.fail(error)
    }
}
