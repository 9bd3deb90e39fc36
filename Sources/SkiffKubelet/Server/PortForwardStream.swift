import SkiffAPIServer

/// One port-forward session in the kubelet's WebSocket protocol: for the i-th
/// requested port, channel 2i carries data both ways and channel 2i+1 errors to
/// the client; each starts with the port as two little-endian bytes. Every port
/// gets one connection to 127.0.0.1:PORT in the pod's network; the session ends
/// when all of them have ended, or when the client leaves.
struct PortForwardStream: Sendable {
    let network: KubeletPodNetwork
    let ports: [UInt16]
    let podName: String
    let podUID: String
    let channelProtocol: ChannelProtocol

    func run(_ connection: WebSocketConnection) async {
        let writer = ChannelWriter(outbound: connection.outbound, channelProtocol: channelProtocol)
        for (index, port) in ports.enumerated() {
            let prefix = [UInt8(port & 0xFF), UInt8(port >> 8)]
            try? await writer.send(channel: UInt8(2 * index), prefix)
            try? await writer.send(channel: UInt8(2 * index + 1), prefix)
        }
        var sockets: [PolledDescriptor?] = []
        for (index, port) in ports.enumerated() {
            switch await PodNetworkDialer.connect(network, port: port) {
            case .success(let fd):
                sockets.append(PolledDescriptor(taking: fd))
            case .failure(let error):
                sockets.append(nil)
                // Upstream's sentence around the runtime's error.
                let message = "error forwarding port \(port) to pod \(podName), uid \(podUID): \(error)"
                try? await writer.send(channel: UInt8(2 * index + 1), Array(message.utf8))
            }
        }
        let open = sockets
        let clientReader = Task { [channelProtocol] in
            await Self.pumpInput(connection.inbound, to: open, channelProtocol: channelProtocol)
            // The client left: nothing reads the pod's answers any more.
            open.forEach { $0?.cancel() }
        }
        await withTaskGroup(of: Void.self) { group in
            for (index, socket) in open.enumerated() {
                guard let socket else { continue }
                group.addTask {
                    while let bytes = await socket.read() {
                        do { try await writer.send(channel: UInt8(2 * index), bytes) } catch { break }
                    }
                    socket.close()
                }
            }
        }
        try? await connection.outbound.close(code: 1000)
        await RemoteCommandEnding.awaitClient(clientReader, grace: .seconds(5))
    }

    private static func pumpInput(
        _ inbound: WebSocketInbound, to sockets: [PolledDescriptor?], channelProtocol: ChannelProtocol
    ) async {
        do {
            for try await message in inbound {
                guard let (channel, payload) = channelProtocol.decode(message), channel % 2 == 0 else { continue }
                let index = Int(channel / 2)
                guard index < sockets.count, let socket = sockets[index], !payload.isEmpty else { continue }
                _ = await socket.write(payload)
            }
        } catch {}
    }
}
