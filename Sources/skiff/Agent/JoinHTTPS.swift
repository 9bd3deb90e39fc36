import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SkiffPKI

/// One HTTPS request on a connection of its own, for the two calls an agent
/// makes before it has credentials: the CA fetch, which cannot verify the
/// server yet (the token's hash checks the answer instead), and the credentials
/// request, verified against that CA. HTTP/1.1, `Connection: close`.
struct JoinHTTPS: Sendable {
    /// What the server's certificate must chain to.
    enum Trust: Sendable {
        /// Nothing: only for `/cacerts`, whose answer is checked by hash.
        case unverified
        /// This CA (PEM), with the certificate naming the host.
        case certificateAuthority(String)
    }

    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Answers are a CA bundle or a few certificates; anything larger is not ours.
    static let replyLimit = 1 << 20

    let server: JoinServer
    var connectTimeout: TimeAmount = .seconds(10)
    /// The whole exchange, so a server that accepts and then says nothing cannot hang the join.
    var timeout: Duration = .seconds(30)

    func send(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil, trust: Trust
    ) async throws -> Reply {
        let context = try Self.context(trust)
        let reply = try await withThrowingTaskGroup(of: Reply?.self) { group in
            group.addTask { try await self.exchange(method, path, headers: headers, body: body, context: context) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        guard let reply else {
            throw Failure(description: "\(method) \(server.url)\(path): no answer within \(timeout)")
        }
        return reply
    }

    private func exchange(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)], body: [UInt8]?, context: NIOSSLContext
    ) async throws -> Reply {
        let host = server.host
        // SNI takes names, not addresses; NIOSSL then checks the address against the IP SANs.
        let serverHostname = IPAddress(host) == nil ? host : nil
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(connectTimeout)
            .connect(host: host, port: server.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname))
                    try sync.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var requestHeaders = HTTPHeaders(headers)
            requestHeaders.replaceOrAdd(name: "Host", value: server.authority)
            requestHeaders.replaceOrAdd(name: "User-Agent", value: "skiff-agent")
            requestHeaders.replaceOrAdd(name: "Connection", value: "close")
            var parts: [HTTPClientRequestPart] = []
            if let body {
                requestHeaders.replaceOrAdd(name: "Content-Type", value: "application/json")
                requestHeaders.replaceOrAdd(name: "Content-Length", value: "\(body.count)")
                parts = [.body(.byteBuffer(ByteBuffer(bytes: body)))]
            }
            let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: requestHeaders)
            try await outbound.write(contentsOf: [.head(head)] + parts + [.end(nil)])
            var status: Int?
            var reply: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let head):
                    status = Int(head.status.code)
                case .body(let buffer):
                    guard reply.count + buffer.readableBytes <= Self.replyLimit else {
                        throw Failure(description: "the reply to \(method) \(path) is larger than \(Self.replyLimit) bytes")
                    }
                    reply += buffer.readableBytesView
                case .end:
                    if let status { return Reply(status: status, body: reply) }
                }
            }
            throw Failure(description: "\(server.authority) closed the connection before the reply to \(method) \(path) ended")
        }
    }

    private static func context(_ trust: Trust) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        switch trust {
        case .unverified:
            configuration.certificateVerification = .none
        case .certificateAuthority(let pem):
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        }
        return try NIOSSLContext(configuration: configuration)
    }
}

/// The server an agent joins: `https://HOST[:PORT]` (default port 6443), IPv6
/// hosts in brackets.
struct JoinServer: Hashable, Sendable {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `--server`; the message says what is wrong.
    init(url: String) throws(JoinServer.Invalid) {
        let invalid = { (why: String) in Invalid(description: "--server \(url): \(why)") }
        guard url.hasPrefix("https://") else { throw invalid("must start with https:// (agents join over TLS only)") }
        var rest = Substring(url.dropFirst("https://".count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else {
            throw invalid("expected https://HOST:PORT with no path")
        }
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("unclosed [ in the host") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let tail = rest[rest.index(after: close)...]
            if !tail.isEmpty {
                guard tail.hasPrefix(":") else { throw invalid("expected :PORT after ]") }
                portText = tail.dropFirst()
            }
        } else {
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw invalid("put an IPv6 address in brackets, https://[ADDRESS]:PORT") }
            host = String(parts[0])
            portText = parts.count == 2 ? parts[1] : nil
        }
        guard !host.isEmpty else { throw invalid("no host") }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { throw invalid("the port must be 1-65535") }
            self.port = port
        } else {
            port = 6443
        }
    }

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// `host:port` as the Host header and messages write it.
    var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    var url: String { "https://\(authority)" }
}
