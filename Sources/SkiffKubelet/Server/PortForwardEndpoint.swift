import SkiffAPIServer

/// `/portForward/{namespace}/{pod}`: the kubelet's own WebSocket port-forward
/// (upstream's `v4.channel.k8s.io` flavour, as `kubectl` before 1.30's tunnel or
/// any client of the kubelet's API speaks it). Ports come from `port` (upstream's
/// API server) or `ports` (Skiff's), each possibly comma-joined; checked as
/// upstream's NewV4Options checks them.
struct PortForwardEndpoint: Sendable {
    let directory: any KubeletContainerDirectory

    func serve(namespace: String, pod podName: String, request: APIRequest) async throws(KubeletRefusal) -> APIResponse {
        // Upstream would take SPDY here too; Skiff's kubelet speaks WebSocket only.
        guard request.canUpgradeToWebSocket else { throw RemoteCommandEndpoint.upgradeRequired("portForward") }
        let ports = try Self.ports(request.query)
        guard let pod = await directory.pod(namespace: namespace, name: podName) else { throw .podDoesNotExist }
        guard let network = pod.network else {
            throw .streamingFailure("pod not found (\(LogTarget.quoted(pod.fullName)))")
        }
        let channelProtocol = try RemoteCommandEndpoint.negotiate(
            request, path: "portForward", supported: ChannelProtocol.portForward)
        let stream = PortForwardStream(
            network: network, ports: ports, podName: pod.fullName, podUID: pod.uid, channelProtocol: channelProtocol)
        return RemoteCommandEndpoint.upgrade(channelProtocol) { connection in await stream.run(connection) }
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
                        "unable to parse \(LogTarget.quoted(value)) as a port: strconv.ParseUint: parsing "
                            + "\(LogTarget.quoted(String(part))): invalid syntax")
                }
                guard port > 0 else { throw .badRequest("port \(LogTarget.quoted(value)) must be > 0") }
                ports.append(port)
            }
        }
        return ports
    }
}
