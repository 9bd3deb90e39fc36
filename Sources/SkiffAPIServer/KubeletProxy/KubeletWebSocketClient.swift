import NIOCore
import NIOHTTP1
import NIOWebSocket

/// A WebSocket client connection to a kubelet.
typealias KubeletWebSocketChannel = HeldChannel<WebSocketFrame, WebSocketFrame>

/// The kubelet's answer to a WebSocket upgrade request.
enum KubeletUpgrade: Sendable {
    /// 101: the connection speaks WebSocket with the subprotocol the kubelet chose.
    case upgraded(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, subprotocol: String?)
    /// Any other answer, still to be read (head, then body).
    case refused(NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>)
}

extension KubeletProxy {
    /// The largest message relayed in either direction; the kubelet and the API
    /// server's own WebSocket server take messages up to this size too.
    static let maximumMessageBytes = 1 << 20

    /// Asks the kubelet to upgrade `location` to WebSocket, offering the client's
    /// subprotocols in the client's order.
    func upgrade(_ location: KubeletLocation, offering subprotocols: [String]) async throws -> KubeletUpgrade {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: location.authority)
        headers.add(name: "User-Agent", value: Self.userAgent)
        // Without a length NIO would frame the empty request body as chunked.
        headers.add(name: "Content-Length", value: "0")
        if !subprotocols.isEmpty {
            headers.add(name: "Sec-WebSocket-Protocol", value: subprotocols.joined(separator: ", "))
        }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: location.target, headers: headers)
        let negotiated = try await connector.connect(to: location) { channel in
            let upgrader = NIOTypedWebSocketClientUpgrader<KubeletUpgrade>(
                maxFrameSize: Self.maximumMessageBytes,
                upgradePipelineHandler: { channel, response in
                    channel.eventLoop.makeCompletedFuture {
                        // The relay sees whole messages, as the client side does.
                        try channel.pipeline.syncOperations.addHandler(
                            NIOWebSocketFrameAggregator(
                                minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1 << 16,
                                maxAccumulatedFrameSize: Self.maximumMessageBytes))
                        let chosen = response.headers.first(name: "Sec-WebSocket-Protocol")
                        return KubeletUpgrade.upgraded(
                            try NIOAsyncChannel(wrappingChannelSynchronously: channel), subprotocol: chosen)
                    }
                })
            let upgrade = NIOTypedHTTPClientUpgradeConfiguration<KubeletUpgrade>(
                upgradeRequestHead: head, upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        KubeletUpgrade.refused(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
                    }
                })
            var configuration = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: upgrade)
            // Frames the kubelet sends right behind its 101 must reach the relay, not be dropped.
            configuration.leftOverBytesStrategy = .forwardBytes
            return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                configuration: configuration)
        }
        return try await negotiated.get()
    }

    /// A kubelet's refusal to upgrade, passed to the client as the kubelet wrote
    /// it (status, Content-Type, body), as upstream's upgrade-aware proxy does.
    static func passOn(refusal channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>) async throws
        -> APIResponse
    {
        let held = await HeldChannel.hold(channel)
        defer { held.close() }
        let head = try await readHead(held)
        let body = try await readBody(held, limit: maximumMessageBytes)
        var headers = APIHeaders()
        if let contentType = head.headers.first(name: "content-type") { headers.add("Content-Type", contentType) }
        return APIResponse(status: Int(head.status.code), headers: headers, body: .bytes(body))
    }

    /// The subprotocols a client offers, in its order: `Sec-WebSocket-Protocol`
    /// may repeat and holds comma-separated tokens.
    static func offeredSubprotocols(_ headers: APIHeaders) -> [String] {
        headers.values("Sec-WebSocket-Protocol").flatMap { $0.split(separator: ",") }
            .map(trimmed).filter { !$0.isEmpty }
    }

    private static func trimmed(_ token: Substring) -> String {
        let isSpace = { (character: Character) in character == " " || character == "\t" }
        var token = token.drop(while: isSpace)
        while let last = token.last, isSpace(last) { token = token.dropLast() }
        return String(token)
    }
}
