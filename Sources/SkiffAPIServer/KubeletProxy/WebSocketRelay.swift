import NIOCore
import NIOWebSocket

/// Relays one WebSocket session between a client of the API server and a kubelet,
/// message by message in both directions, until either side closes. The closing
/// side's code and reason are passed on to the other; pings are answered by each
/// hop itself. Channel framing (v5.channel.k8s.io stream bytes, SPDY frames inside
/// `SPDY/3.1+portforward.k8s.io`) is left to the ends.
struct WebSocketRelay: Sendable {
    let kubelet: KubeletWebSocketChannel
    /// After one side closed, how long the other may take to answer its close
    /// before the relay cuts it off.
    let closingGrace: Duration
    /// Sent to the client when the kubelet vanished without a close frame.
    static let kubeletLostCode: UInt16 = 1011
    /// Sent to the kubelet when the client vanished without a close frame.
    static let clientLostCode: UInt16 = 1001

    private let kubeletCloseSent = Once()

    init(kubelet: KubeletWebSocketChannel, closingGrace: Duration = .seconds(5)) {
        self.kubelet = kubelet
        self.closingGrace = closingGrace
    }

    func run(client: WebSocketConnection) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await clientToKubelet(client.inbound) }
            group.addTask { await kubeletToClient(client.outbound) }
            await group.next()
            group.addTask { [closingGrace] in try? await Task.sleep(for: closingGrace) }
            await group.next()
            group.cancelAll()
        }
        kubelet.close()
    }

    private func clientToKubelet(_ inbound: WebSocketInbound) async {
        do {
            for try await message in inbound {
                switch message {
                case .binary(let bytes):
                    try await send(opcode: .binary, ByteBuffer(bytes: bytes))
                case .text(let text):
                    try await send(opcode: .text, ByteBuffer(string: text))
                }
            }
        } catch {
            // The client's connection failed: tell the kubelet below, as when it leaves.
        }
        await closeKubelet(code: inbound.closeCode ?? Self.clientLostCode, reason: "")
    }

    private func kubeletToClient(_ outbound: WebSocketOutbound) async {
        var code = Self.kubeletLostCode
        var reason = "the kubelet closed the connection without a close frame"
        do {
            frames: while let frame = try await kubelet.next() {
                var data = frame.unmaskedData
                switch frame.opcode {
                case .binary:
                    try await outbound.send(.binary(data.readBytes(length: data.readableBytes) ?? []))
                case .text:
                    try await outbound.send(.text(data.readString(length: data.readableBytes) ?? ""))
                case .ping:
                    try await send(opcode: .pong, data)
                case .connectionClose:
                    // A close without a code (1005 on the wire is never sent) reads as a normal one.
                    let received = data.readWebSocketErrorCode().map { UInt16(webSocketErrorCode: $0) } ?? 1000
                    code = received
                    reason = data.readString(length: data.readableBytes) ?? ""
                    await closeKubelet(code: received, reason: "")
                    break frames
                default:
                    continue
                }
            }
        } catch {
            // The kubelet's connection failed or the relay is ending: close the client below.
        }
        try? await outbound.close(code: code, reason: reason)
    }

    /// Frames to the kubelet: a client's frames are masked (RFC 6455 §5.3).
    private func send(opcode: WebSocketOpcode, _ data: ByteBuffer) async throws {
        try await kubelet.outbound.write(WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data))
    }

    /// Sends the kubelet one close frame, whichever side ends first.
    private func closeKubelet(code: UInt16, reason: String) async {
        guard kubeletCloseSent.claim() else { return }
        var data = ByteBuffer()
        data.write(webSocketErrorCode: WebSocketErrorCode(codeNumber: Int(code)))
        data.writeString(reason)
        try? await send(opcode: .connectionClose, data)
    }
}
