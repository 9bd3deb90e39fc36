import Foundation
import SkiffAPIServer
import SkiffRuntime

/// `/exec/{namespace}/{pod}/{container}` and `/attach/…`: the checks upstream's
/// kubelet makes before upgrading (stream options 400, pod 404, a running
/// container 500 with GetExec's and GetAttach's wording), then a WebSocket session
/// in the first channel protocol of the client's offer that the kubelet speaks.
struct RemoteCommandEndpoint: Sendable {
    let directory: any KubeletContainerDirectory
    let runtime: ContainerRuntime

    func exec(namespace: String, pod podName: String, container: String, request: APIRequest) async throws(KubeletRefusal)
        -> APIResponse
    {
        let options = try RemoteCommandOptions(query: request.query)
        guard let pod = await directory.pod(namespace: namespace, name: podName) else { throw .podDoesNotExist }
        guard let running = pod.statuses[container]?.running else {
            throw .streamingFailure("container not found (\(GoFormat.quoted(container)))")
        }
        let channelProtocol = try Self.negotiate(request, path: "exec")
        let stream = ExecStream(
            runtime: runtime, containerID: running.id, command: request.query.values("command"), options: options,
            channelProtocol: channelProtocol)
        return Self.upgrade(channelProtocol) { connection in await stream.run(connection) }
    }

    func attach(namespace: String, pod podName: String, container: String, request: APIRequest) async throws(KubeletRefusal)
        -> APIResponse
    {
        var options = try RemoteCommandOptions(query: request.query)
        guard let pod = await directory.pod(namespace: namespace, name: podName) else { throw .podDoesNotExist }
        let notFound = KubeletRefusal.streamingFailure("container \(container) not found in pod \(pod.fullName)")
        guard let running = pod.statuses[container]?.running else { throw notFound }
        guard let record = try? await runtime.status(id: running.id) else { throw notFound }
        // Whether the container has a terminal was fixed when it was made, whatever the request says.
        options = RemoteCommandOptions(
            stdin: options.stdin, stdout: options.stdout, stderr: options.stderr, tty: record.config.tty)
        let channelProtocol = try Self.negotiate(request, path: "attach")
        let stream = AttachStream(
            runtime: runtime, containerID: running.id, options: options, stdinOnce: record.config.stdinOnce,
            channelProtocol: channelProtocol)
        return Self.upgrade(channelProtocol) { connection in await stream.run(connection) }
    }

    static func negotiate(
        _ request: APIRequest, path: String, supported: [ChannelProtocol] = ChannelProtocol.remoteCommand,
        alsoSupported: [String] = []
    ) throws(KubeletRefusal) -> ChannelProtocol {
        guard request.canUpgradeToWebSocket else { throw upgradeRequired(path) }
        return try ChannelProtocol.negotiate(
            offered: offeredSubprotocols(request.headers), supported: supported, alsoSupported: alsoSupported)
    }

    /// The answer to a request that is no WebSocket upgrade (plain, or SPDY's).
    static func upgradeRequired(_ path: String) -> KubeletRefusal {
        .badRequest(
            "unable to upgrade: /\(path) is served over WebSocket only (a GET with Upgrade: websocket on "
                + "HTTP/1.1, offering a channel.k8s.io subprotocol); SPDY is not supported")
    }

    static func upgrade(
        _ channelProtocol: ChannelProtocol, session: @escaping @Sendable (WebSocketConnection) async -> Void
    ) -> APIResponse {
        .webSocket(
            WebSocketUpgrade(
                subprotocol: channelProtocol.name.isEmpty ? nil : channelProtocol.name,
                maximumMessageBytes: 1 << 20, session: session))
    }

    /// The client's offer in its order: the header may repeat and holds comma-separated tokens.
    static func offeredSubprotocols(_ headers: APIHeaders) -> [String] {
        headers.values("Sec-WebSocket-Protocol").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
