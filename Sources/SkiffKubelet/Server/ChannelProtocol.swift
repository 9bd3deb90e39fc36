import Foundation
import SkiffAPIServer

/// A channel.k8s.io WebSocket subprotocol: every message starts with the number of
/// the stream it belongs to, as a byte (binary framing) or an ASCII digit followed
/// by base64 (the `base64.` variants, text messages).
struct ChannelProtocol: Sendable, Hashable {
    enum Version: Int, Sendable, Comparable {
        /// `channel.k8s.io` (or no subprotocol): the error channel carries only a failure's message.
        case v1 = 1
        /// The error channel carries a `Status` as JSON.
        case v4 = 4
        /// v4 plus a message closing a stream: 255, then the channel (stdin's end of file).
        case v5 = 5

        static func < (a: Version, b: Version) -> Bool { a.rawValue < b.rawValue }
    }

    /// The name agreed with the client; empty when it offered none.
    var name: String
    var version: Version
    var base64: Bool

    /// The close-stream signal of v5.
    static let streamClose: UInt8 = 255

    /// What exec and attach speak, best first: upstream's kubelet list plus v5, which
    /// upstream's API server translates away before its kubelets see it.
    static let remoteCommand: [ChannelProtocol] = [
        ChannelProtocol(name: "v5.channel.k8s.io", version: .v5, base64: false),
        ChannelProtocol(name: "v4.channel.k8s.io", version: .v4, base64: false),
        ChannelProtocol(name: "v4.base64.channel.k8s.io", version: .v4, base64: true),
        ChannelProtocol(name: "channel.k8s.io", version: .v1, base64: false),
        ChannelProtocol(name: "base64.channel.k8s.io", version: .v1, base64: true),
        ChannelProtocol(name: "", version: .v1, base64: false),
    ]

    /// What the kubelet's own WebSocket port-forward speaks.
    static let portForward: [ChannelProtocol] = [
        ChannelProtocol(name: "v4.channel.k8s.io", version: .v4, base64: false),
        ChannelProtocol(name: "v4.base64.channel.k8s.io", version: .v4, base64: true),
        ChannelProtocol(name: "", version: .v1, base64: false),
    ]

    /// The first of the client's offer (in its order) that is supported, as
    /// upstream's wsstream handshake picks; none offered means the unnamed protocol.
    /// A refusal is the 403 golang.org/x/net/websocket answers a failed handshake with.
    /// `alsoSupported` names other protocols of the endpoint, for the refusal's list.
    static func negotiate(offered: [String], supported: [ChannelProtocol], alsoSupported: [String] = [])
        throws(KubeletRefusal) -> ChannelProtocol
    {
        let wanted = offered.isEmpty ? [""] : offered
        for name in wanted {
            if let match = supported.first(where: { $0.name == name }) { return match }
        }
        // Go prints a []string as `[a b]`.
        let supportedNames = "[" + (alsoSupported + supported.map(\.name)).joined(separator: " ") + "]"
        throw KubeletRefusal(
            status: 403,
            message: "requested protocol(s) are not supported: [\(offered.joined(separator: " "))]; supports \(supportedNames)")
    }

    /// One message on `channel`.
    func message(channel: UInt8, _ bytes: [UInt8]) -> WebSocketMessage {
        if base64 {
            return .text(String(UnicodeScalar(UInt8(ascii: "0") + channel)) + Data(bytes).base64EncodedString())
        }
        return .binary([channel] + bytes)
    }

    /// The channel and payload of a client's message; nil for an empty or undecodable one
    /// (upstream skips those).
    func decode(_ message: WebSocketMessage) -> (channel: UInt8, payload: [UInt8])? {
        switch message {
        case .binary(let bytes):
            guard let channel = bytes.first else { return nil }
            return (channel, Array(bytes.dropFirst()))
        case .text(let text):
            let utf8 = Array(text.utf8)
            guard base64, let first = utf8.first, first >= UInt8(ascii: "0") else { return nil }
            guard let payload = Data(base64Encoded: Data(utf8.dropFirst())) else { return nil }
            return (first - UInt8(ascii: "0"), Array(payload))
        }
    }
}

/// Writes a channel protocol's messages to the client; shared by the tasks of a session.
struct ChannelWriter: Sendable {
    let outbound: WebSocketOutbound
    let channelProtocol: ChannelProtocol

    func send(channel: UInt8, _ bytes: [UInt8]) async throws {
        try await outbound.send(channelProtocol.message(channel: channel, bytes))
    }
}
