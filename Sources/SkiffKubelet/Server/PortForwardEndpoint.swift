import Logging
import SkiffAPIServer

/// `/portForward/{namespace}/{pod}` over WebSocket, in whichever of two protocols
/// the client offers first: kubectl's SPDY tunnel (`SPDY/3.1+portforward.k8s.io`,
/// what `kubectl port-forward` 1.30+ sends through the API server), or the
/// kubelet's own channel protocol (`v4.channel.k8s.io`), whose ports come from
/// `port` (upstream's API server) or `ports` (Skiff's), each possibly comma-joined,
/// checked as upstream's NewV4Options checks them.
struct PortForwardEndpoint: Sendable {
    let directory: any KubeletContainerDirectory
    let logger: Logger

    func serve(namespace: String, pod podName: String, request: APIRequest) async throws(KubeletRefusal) -> APIResponse {
        // Upstream would take SPDY here too; Skiff's kubelet speaks WebSocket only.
        guard request.canUpgradeToWebSocket else { throw RemoteCommandEndpoint.upgradeRequired("portForward") }
        let offered = RemoteCommandEndpoint.offeredSubprotocols(request.headers)
        let tunnelsSPDY = Self.prefersSPDYTunnel(offered)
        // The tunnel names its ports in each stream's headers; the channel protocol in the query.
        let ports = tunnelsSPDY ? [] : try Self.ports(request.query)
        guard let pod = await directory.pod(namespace: namespace, name: podName) else { throw .podDoesNotExist }
        guard let network = pod.network else {
            throw .streamingFailure("pod not found (\(GoFormat.quoted(pod.fullName)))")
        }
        if tunnelsSPDY {
            let stream = SPDYPortForwardStream(
                network: network, podName: pod.fullName, podUID: pod.uid, logger: logger)
            return .webSocket(
                WebSocketUpgrade(subprotocol: SPDYPortForwardStream.subprotocol, maximumMessageBytes: 1 << 20) {
                    connection in await stream.run(connection)
                })
        }
        let channelProtocol = try RemoteCommandEndpoint.negotiate(
            request, path: "portForward", supported: ChannelProtocol.portForward,
            alsoSupported: [SPDYPortForwardStream.subprotocol])
        let stream = PortForwardStream(
            network: network, ports: ports, podName: pod.fullName, podUID: pod.uid, channelProtocol: channelProtocol)
        return RemoteCommandEndpoint.upgrade(channelProtocol) { connection in await stream.run(connection) }
    }

    /// Whether kubectl's SPDY tunnel comes before any channel protocol in the client's offer.
    static func prefersSPDYTunnel(_ offered: [String]) -> Bool {
        let channelNames = Set(ChannelProtocol.portForward.map(\.name))
        return offered.first { $0 == SPDYPortForwardStream.subprotocol || channelNames.contains($0) }
            == SPDYPortForwardStream.subprotocol
    }

    static func ports(_ query: QueryItems) throws(KubeletRefusal) -> [UInt16] {
        let values = query.values("port") + query.values("ports")
        guard !values.isEmpty else { throw .badRequest("query parameter \"port\" is required") }
        var ports: [UInt16] = []
        for value in values {
            guard !value.isEmpty else { throw .badRequest("query parameter \"port\" cannot be empty") }
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                guard let port = UInt16(part) else {
                    throw .badRequest(
                        "unable to parse \(GoFormat.quoted(value)) as a port: strconv.ParseUint: parsing "
                            + "\(GoFormat.quoted(String(part))): invalid syntax")
                }
                guard port > 0 else { throw .badRequest("port \(GoFormat.quoted(value)) must be > 0") }
                ports.append(port)
            }
        }
        return ports
    }
}
