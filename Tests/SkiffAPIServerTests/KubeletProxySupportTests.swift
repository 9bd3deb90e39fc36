import Foundation
import SkiffAPI
import SkiffPKI
import SkiffStore
import Synchronization
import Testing

@testable import SkiffAPIServer

// A fake kubelet and an API server whose pods run on it, for the kubelet proxy
// tests. Everything listens on 127.0.0.1 only.

/// A kubelet stand-in on an ephemeral loopback port: `/containerLogs` streams a
/// pod's lines (all of them, the last `tailLines`, and with `follow` stays open
/// until the API server goes away), `/exec` speaks v5.channel.k8s.io (stdin echoed
/// to stdout, or the command printed when there is no stdin, then a Success
/// Status on channel 3 and close 1000), `/portForward` echoes messages.
final class FakeKubelet: Sendable {
    static let lines = ["one\n", "two\n", "three\n"]
    /// Subprotocols the fake knows, in its order of preference.
    static let subprotocols = ["v5.channel.k8s.io", "v4.channel.k8s.io", "SPDY/3.1+portforward.k8s.io"]

    let server: APIHTTPServer
    let port: Int
    let recorder: Recorder

    /// What the fake saw, shared with its handler.
    final class Recorder: Sendable {
        /// Request targets and the identity each presented, in arrival order.
        let requests = Mutex<[(target: String, identity: ClientIdentity?)]>([])
        /// Fired when a followed log stream is cancelled by the API server leaving.
        let followEnded = Signal()
        /// The close code the last WebSocket session saw from its client (the relay).
        let closeCode = Mutex<UInt16?>(nil)
        let sessionEnded = Signal()
    }

    init(tls: TLSSettings? = nil) async throws {
        let recorder = Recorder()
        self.recorder = recorder
        server = APIHTTPServer(
            handler: ClosureHandler { request in
                let target = request.rawQuery.isEmpty ? request.path : request.path + "?" + request.rawQuery
                recorder.requests.withLock { $0.append((target, request.peerIdentity)) }
                return Self.answer(request, recorder: recorder)
            })
        port = try await server.start(host: "127.0.0.1", port: 0, tls: tls)
    }

    var targets: [String] { recorder.requests.withLock { $0.map(\.target) } }
    var identities: [ClientIdentity?] { recorder.requests.withLock { $0.map(\.identity) } }

    func stop() async { await server.stop(gracePeriod: .seconds(2)) }

    private static func answer(_ request: APIRequest, recorder: Recorder) -> APIResponse {
        let segments = request.pathSegments
        switch segments.first {
        case "containerLogs":
            return logs(request, container: segments.last ?? "", followEnded: recorder.followEnded)
        case "exec", "portForward":
            guard request.canUpgradeToWebSocket else { return .error(.badRequest("websocket only")) }
            if segments.last == "refuse" {
                return APIResponse(status: 500, contentType: "text/plain", body: Array("container refuse is not running".utf8))
            }
            let offered = KubeletProxy.offeredSubprotocols(request.headers)
            let chosen = subprotocols.first { offered.contains($0) }
            let echo = segments.first == "portForward"
            return .webSocket(
                WebSocketUpgrade(subprotocol: chosen) { connection in
                    if echo {
                        await echoSession(connection)
                    } else {
                        await execSession(connection, request: request)
                    }
                    recorder.closeCode.withLock { $0 = connection.inbound.closeCode }
                    recorder.sessionEnded.fire()
                })
        default:
            return .error(.pathNotFound)
        }
    }

    private static func logs(_ request: APIRequest, container: String, followEnded: Signal) -> APIResponse {
        switch container {
        case "waiting":
            return APIResponse(
                status: 400, contentType: "text/plain",
                body: Array("container \"waiting\" in pod \"web\" is waiting to start: ContainerCreating".utf8))
        case "gone":
            return APIResponse(status: 404, contentType: "text/plain", body: Array("no such container".utf8))
        default:
            break
        }
        let tail = request.query["tailLines"].flatMap(Int.init) ?? lines.count
        let follow = request.query["follow"] == "true"
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        for line in lines.suffix(tail) { continuation.yield(Array(line.utf8)) }
        if follow {
            // Stays open, as a running container's log does, until the reader goes away.
            continuation.onTermination = { [continuation] termination in
                if case .cancelled = termination { followEnded.fire() }
                continuation.finish()
            }
        } else {
            continuation.finish()
        }
        return APIResponse(status: 200, contentType: "text/plain", stream: stream)
    }

    private static func execSession(_ connection: WebSocketConnection, request: APIRequest) async {
        let status = Array(#"{"metadata":{},"status":"Success"}"#.utf8)
        // One iterator for the whole session: the inbound side may be iterated once.
        var inbound = connection.inbound.makeAsyncIterator()
        do {
            if request.query["stdin"] == "true" {
                while case .binary(let bytes)? = try await inbound.next(), bytes != [255, 0] {
                    if bytes.first == 0 { try await connection.outbound.send(.binary([1] + bytes.dropFirst())) }
                }
            } else {
                let printed = request.query.values("command").joined(separator: " ") + "\n"
                try await connection.outbound.send(.binary([1] + Array(printed.utf8)))
            }
            try await connection.outbound.send(.binary([3] + status))
            try await connection.outbound.close(code: 1000)
            // Reads the client's answer to the close.
            while try await inbound.next() != nil {}
        } catch {}
    }

    private static func echoSession(_ connection: WebSocketConnection) async {
        do {
            for try await message in connection.inbound { try await connection.outbound.send(message) }
        } catch {}
    }
}

/// An API server over a memory store with node-1 (InternalIP 127.0.0.1, kubelet
/// port of the fake) and pods on it: web (container app), multi (init setup,
/// containers a and b), pending (no node), and stray on node ghost, which does
/// not exist.
struct KubeletProxyFixture {
    let store = MemoryStore()
    let server: APIServer

    init(kubeletPort: Int, kubeletClient: KubeletClientSettings? = nil, nodeAddresses: [NodeAddress]? = nil)
        async throws
    {
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = true
        configuration.kubeletClient = kubeletClient
        server = APIServer(store: store, configuration: configuration)
        try await server.start()

        var node = Node()
        node.metadata.name = "node-1"
        node.status.addresses = nodeAddresses ?? [NodeAddress(type: "InternalIP", address: "127.0.0.1")]
        node.status.daemonEndpoints.kubeletEndpoint.Port = Int32(kubeletPort)
        _ = try await server.registries.registry(for: Node.self).create(namespace: nil, node)
        try await addPod("web", containers: ["app"], node: "node-1")
        try await addPod("multi", containers: ["a", "b"], initContainers: ["setup"], node: "node-1")
        try await addPod("pending", containers: ["app"], node: nil)
        try await addPod("stray", containers: ["app"], node: "ghost")
    }

    func addPod(_ name: String, containers: [String], initContainers: [String] = [], node: String?) async throws {
        var pod = Pod()
        pod.metadata.name = name
        pod.spec.containers = containers.map { name in
            var container = Container()
            container.name = name
            container.image = "busybox"
            return container
        }
        if !initContainers.isEmpty {
            pod.spec.initContainers = initContainers.map { name in
                var container = Container()
                container.name = name
                container.image = "busybox"
                return container
            }
        }
        pod.spec.nodeName = node
        _ = try await server.registries.registry(for: Pod.self).create(namespace: "default", pod)
    }

    /// A request answered in process; the body is read whole, streams to their end.
    func send(_ method: String, _ target: String, upgrade: Bool = false) async throws -> RouterFixture.Reply {
        let request = APIRequest(method: method, target: target, isTLS: true, canUpgradeToWebSocket: upgrade)
        let response = await server.handle(request)
        switch response.body {
        case .bytes(let bytes):
            return RouterFixture.Reply(status: response.status, headers: response.headers, body: bytes)
        case .stream(let stream):
            var body: [UInt8] = []
            for try await chunk in stream { body += chunk }
            return RouterFixture.Reply(status: response.status, headers: response.headers, body: body)
        case .webSocket:
            return RouterFixture.Reply(status: 101, headers: response.headers, body: [])
        }
    }

    /// Serves the API over plain HTTP on loopback for the body's duration.
    func withHTTP<T>(_ body: (_ port: Int) async throws -> T) async throws -> T {
        let http = APIHTTPServer(handler: server)
        let port = try await http.start(host: "127.0.0.1", port: 0, tls: nil)
        do {
            let result = try await body(port)
            await http.stop(gracePeriod: .seconds(2))
            return result
        } catch {
            await http.stop(gracePeriod: .seconds(2))
            throw error
        }
    }
}
