import NIOCore
import NIOWebSocket
import Synchronization

/// A route's acceptance of a WebSocket upgrade (exec, attach, port-forward): the
/// subprotocol chosen from the client's `Sec-WebSocket-Protocol` offer, and the
/// session to run once the connection speaks WebSocket. The connection closes when
/// the session returns.
public struct WebSocketUpgrade: Sendable {
    public var subprotocol: String?
    /// Extra headers on the 101 response.
    public var headers: APIHeaders
    /// The largest message (after joining fragments) accepted from the client; larger
    /// ones close the connection with 1009.
    public var maximumMessageBytes: Int
    public var session: @Sendable (WebSocketConnection) async -> Void

    public init(
        subprotocol: String? = nil, headers: APIHeaders = APIHeaders(), maximumMessageBytes: Int = 1 << 20,
        session: @escaping @Sendable (WebSocketConnection) async -> Void
    ) {
        self.subprotocol = subprotocol
        self.headers = headers
        self.maximumMessageBytes = maximumMessageBytes
        self.session = session
    }
}

/// One complete WebSocket data message.
public enum WebSocketMessage: Sendable, Hashable {
    case text(String)
    case binary([UInt8])
}

/// An upgraded connection: messages from the client, and a writer to it.
public struct WebSocketConnection: Sendable {
    /// Messages from the client. Iterate it for the whole session, even when the
    /// protocol ignores input: iterating is what answers pings and notices the
    /// client closing (iteration then ends).
    public var inbound: WebSocketInbound
    /// Sends to the client; `Sendable`, so several tasks (stdout, stderr) may share it.
    public let outbound: WebSocketOutbound
}

/// Messages from the client; control frames are handled while iterating. Iterate
/// it once, from one task at a time.
public struct WebSocketInbound: AsyncSequence, Sendable {
    public typealias Element = WebSocketMessage

    let frames: NIOAsyncChannelInboundStream<WebSocketFrame>
    let outbound: WebSocketOutbound
    private let peerClose = PeerClose()

    init(frames: NIOAsyncChannelInboundStream<WebSocketFrame>, outbound: WebSocketOutbound) {
        self.frames = frames
        self.outbound = outbound
    }

    /// The code of the client's close frame, once iteration has ended on one; nil
    /// before, or when the connection ended without one. A relay passes it on.
    public var closeCode: UInt16? { peerClose.code.withLock { $0 } }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var frames: NIOAsyncChannelInboundStream<WebSocketFrame>.AsyncIterator
        let outbound: WebSocketOutbound
        fileprivate let peerClose: PeerClose

        public mutating func next() async throws -> WebSocketMessage? {
            while let frame = try await frames.next() {
                var data = frame.unmaskedData
                switch frame.opcode {
                case .binary:
                    return .binary(data.readBytes(length: data.readableBytes) ?? [])
                case .text:
                    return .text(data.readString(length: data.readableBytes) ?? "")
                case .ping:
                    try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, data: data))
                case .connectionClose:
                    // Echo the client's code, as RFC 6455 §5.5.1 asks, then report the end.
                    let code = data.readWebSocketErrorCode() ?? .normalClosure
                    peerClose.code.withLock { $0 = UInt16(webSocketErrorCode: code) }
                    try? await outbound.close(code: UInt16(webSocketErrorCode: code))
                    return nil
                default:
                    // Pongs and unknown opcodes carry nothing for the session.
                    continue
                }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(frames: frames.makeAsyncIterator(), outbound: outbound, peerClose: peerClose)
    }
}

/// Where the iterator records the client's close code for ``WebSocketInbound/closeCode``.
private final class PeerClose: Sendable {
    let code = Mutex<UInt16?>(nil)
}

/// Writes messages to the client. Each write waits while the client is not reading
/// (the socket is not writable), so a fast producer cannot buffer without bound.
public struct WebSocketOutbound: Sendable {
    let writer: NIOAsyncChannelOutboundWriter<WebSocketFrame>
    private let closeSent = Once()

    init(writer: NIOAsyncChannelOutboundWriter<WebSocketFrame>) {
        self.writer = writer
    }

    /// Sends one message as one frame.
    public func send(_ message: WebSocketMessage) async throws {
        switch message {
        case .text(let text):
            try await write(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
        case .binary(let bytes):
            try await write(WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: bytes)))
        }
    }

    /// Sends the close frame (once; later calls do nothing). The server closes the
    /// connection after the session returns.
    public func close(code: UInt16 = 1000, reason: String = "") async throws {
        guard closeSent.claim() else { return }
        var data = ByteBuffer()
        data.write(webSocketErrorCode: WebSocketErrorCode(codeNumber: Int(code)))
        data.writeString(reason)
        try await writer.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
    }

    func write(_ frame: WebSocketFrame) async throws {
        try await writer.write(frame)
    }
}

/// A flag that exactly one caller gets to set.
final class Once: Sendable {
    private let done = Mutex(false)

    /// True for the first caller only.
    func claim() -> Bool {
        done.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
