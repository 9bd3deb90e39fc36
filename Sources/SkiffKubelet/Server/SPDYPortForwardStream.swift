import Logging
import SkiffAPIServer
#if canImport(Glibc)
import Glibc
#endif

/// `kubectl port-forward` since 1.30: SPDY/3.1 carried in WebSocket binary messages
/// (subprotocol `SPDY/3.1+portforward.k8s.io`), which upstream's API server unwraps
/// and Skiff's relays as it is. Per local connection kubectl opens two streams with
/// the same `requestID` header: `streamType: error` (which it half-closes at once)
/// and `streamType: data`, both naming the pod's `port`. Each pair becomes one TCP
/// connection to 127.0.0.1:PORT in the pod's network, as upstream's kubelet
/// (pkg/kubelet/cri/streaming/portforward/httpstream.go) and containerd do it.
struct SPDYPortForwardStream: Sendable {
    static let subprotocol = "SPDY/3.1+portforward.k8s.io"

    let network: KubeletPodNetwork
    let podName: String
    let podUID: String
    let logger: Logger

    func run(_ connection: WebSocketConnection) async {
        let (frames, output) = AsyncStream<SPDYFrame>.makeStream()
        let writer = Task { await Self.write(frames, to: connection.outbound) }
        let session = SPDYPortForwardSession(network: network, podName: podName, podUID: podUID, output: output)
        var framer = SPDYFramer()
        do {
            reading: for try await message in connection.inbound {
                guard case .binary(let bytes) = message else { continue }
                framer.append(bytes)
                while let frame = try framer.nextFrame() {
                    guard await session.handle(frame) else { break reading }
                }
            }
        } catch let error as SPDYError {
            // A broken frame ends the session as the client leaving does.
            logger.warning("port-forward tunnel broken", metadata: ["pod": "\(podName)", "error": "\(error)"])
        } catch {}
        await session.closeAll()
        output.finish()
        await writer.value
        try? await connection.outbound.close(code: 1000)
    }

    /// One writer, so frames leave in the order they were made.
    private static func write(_ frames: AsyncStream<SPDYFrame>, to outbound: WebSocketOutbound) async {
        var framer = SPDYFramer()
        for await frame in frames {
            let bytes = framer.encode(frame)
            guard !bytes.isEmpty else { continue }
            do { try await outbound.send(.binary(bytes)) } catch { return }
        }
    }
}

/// The streams of one SPDY port-forward connection, paired by request id.
private actor SPDYPortForwardSession {
    private struct Pair {
        var dataStream: UInt32?
        var errorStream: UInt32?
        var port: UInt16?
        /// What the client sends on the data stream, for the connection to the pod.
        var input: AsyncStream<ClientBytes>.Continuation?
        var task: Task<Void, Never>?
    }

    enum ClientBytes: Sendable {
        case bytes([UInt8])
        case end
    }

    private let network: KubeletPodNetwork
    private let podName: String
    private let podUID: String
    private let output: AsyncStream<SPDYFrame>.Continuation
    private var pairs: [String: Pair] = [:]
    /// Which pair a stream belongs to.
    private var requestOfStream: [UInt32: String] = [:]

    init(network: KubeletPodNetwork, podName: String, podUID: String, output: AsyncStream<SPDYFrame>.Continuation) {
        self.network = network
        self.podName = podName
        self.podUID = podUID
        self.output = output
    }

    /// False when the connection is over (GOAWAY).
    func handle(_ frame: SPDYFrame) -> Bool {
        switch frame {
        case .synStream(let id, _, let headers):
            accept(stream: id, headers: headers)
        case .data(let id, let flags, let payload):
            guard let request = requestOfStream[id], let pair = pairs[request], pair.dataStream == id else { break }
            if !payload.isEmpty { pair.input?.yield(.bytes(payload)) }
            if flags & SPDYFrame.finFlag != 0 { pair.input?.yield(.end) }
        case .rstStream(let id, _):
            guard let request = requestOfStream[id] else { break }
            pairs[request]?.task?.cancel()
            pairs[request]?.input?.finish()
        case .ping(let id):
            output.yield(.ping(id: id))
        case .goAway:
            return false
        case .synReply, .other:
            break
        }
        return true
    }

    func closeAll() {
        for pair in pairs.values {
            pair.task?.cancel()
            pair.input?.finish()
        }
    }

    private func accept(stream id: UInt32, headers: [(String, String)]) {
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
        output.yield(.synReply(streamID: id, flags: 0, headers: []))
        // Upstream pairs streams by requestID; a client that sends none gets one pair per port.
        let request = header("requestid") ?? header("port") ?? ""
        requestOfStream[id] = request
        var pair = pairs[request] ?? Pair()
        pair.port = pair.port ?? header("port").flatMap { UInt16($0) }
        switch header("streamtype") {
        case "error": pair.errorStream = id
        case "data": pair.dataStream = id
        default:
            output.yield(.rstStream(streamID: id, status: 1))   // PROTOCOL_ERROR
            return
        }
        if let dataStream = pair.dataStream, let errorStream = pair.errorStream, pair.task == nil {
            let (input, continuation) = AsyncStream<ClientBytes>.makeStream()
            pair.input = continuation
            let forward = SPDYForward(
                network: network, port: pair.port, podName: podName, podUID: podUID, dataStream: dataStream,
                errorStream: errorStream, output: output)
            pair.task = Task { await forward.run(input) }
        }
        pairs[request] = pair
    }
}

/// One forwarded connection: the client's data to the pod, the pod's answers back,
/// and on failure upstream's sentence on the error stream. Both streams are
/// half-closed (FIN) when it ends, as upstream's handler closes them.
private struct SPDYForward: Sendable {
    let network: KubeletPodNetwork
    let port: UInt16?
    let podName: String
    let podUID: String
    let dataStream: UInt32
    let errorStream: UInt32
    let output: AsyncStream<SPDYFrame>.Continuation

    func run(_ input: AsyncStream<SPDYPortForwardSession.ClientBytes>) async {
        defer {
            output.yield(.data(streamID: dataStream, flags: SPDYFrame.finFlag, payload: []))
            output.yield(.data(streamID: errorStream, flags: SPDYFrame.finFlag, payload: []))
        }
        guard let port, port > 0 else {
            fail("invalid port")
            return
        }
        let socket: PolledDescriptor
        switch await PodNetworkDialer.connect(network, port: port) {
        case .success(let fd):
            guard let descriptor = PolledDescriptor(taking: fd) else {
                fail("cannot poll the connection")
                return
            }
            socket = descriptor
        case .failure(let error):
            fail("\(error)")
            return
        }
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await chunk in input {
                        switch chunk {
                        case .bytes(let bytes):
                            guard await socket.write(bytes) else { return }
                        case .end:
                            // The client is done sending: the pod reads end of file and may still answer.
                            _ = shutdown(socket.fd, Int32(SHUT_WR))
                            return
                        }
                    }
                }
                // The pod's answers, until it closes the connection.
                while let bytes = await socket.read() {
                    output.yield(.data(streamID: dataStream, flags: 0, payload: bytes))
                }
                group.cancelAll()
                socket.close()
            }
        } onCancel: {
            socket.close()
        }
    }

    private func fail(_ reason: String) {
        let port = self.port.map(String.init) ?? "0"
        let message = "error forwarding port \(port) to pod \(podName), uid \(podUID): \(reason)"
        output.yield(.data(streamID: errorStream, flags: 0, payload: Array(message.utf8)))
    }
}
