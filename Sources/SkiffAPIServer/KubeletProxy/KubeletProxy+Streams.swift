import SkiffAPI

extension KubeletProxy {
    /// `pods/{name}/exec`, `attach` or `portforward`: the pod (404), its container
    /// for exec and attach (400), its node and kubelet (400 without a node), then —
    /// only for a WebSocket upgrade — a WebSocket connection to the kubelet offering
    /// the client's subprotocols. The client's upgrade is accepted with the
    /// subprotocol the kubelet chose and the session relayed; a kubelet that
    /// refuses is answered for as it answered.
    func stream(_ kind: PodStreamKind, namespace: String, name: String, request: APIRequest) async throws(APIError)
        -> APIResponse
    {
        let options = try PodStreamQuery(query: request.query)
        let pod = try await locator.pod(namespace: namespace, name: name)
        let path: String
        switch kind {
        case .exec, .attach:
            let container = try KubeletLocator.container(options.container, in: pod)
            path = "/\(kind.kubeletPath)/\(namespace)/\(name)/\(container)"
        case .portForward:
            path = "/\(kind.kubeletPath)/\(namespace)/\(name)"
        }
        let location = try await locator.location(of: pod, path: path, query: options.kubeletQuery(for: kind))
        // As upstream, where finding the location comes before the proxy insists on an upgrade.
        guard request.canUpgradeToWebSocket else { throw KubeletErrors.webSocketRequired(kind) }

        let offered = Self.offeredSubprotocols(request.headers)
        let answer: KubeletUpgrade
        do {
            answer = try await upgrade(location, offering: offered)
        } catch {
            throw KubeletErrors.dialFailure(error)
        }
        switch answer {
        case .refused(let channel):
            do {
                return try await Self.passOn(refusal: channel)
            } catch {
                throw KubeletErrors.dialFailure(error)
            }
        case .upgraded(let channel, let subprotocol):
            let kubelet = await HeldChannel.hold(channel)
            if let subprotocol, !offered.contains(subprotocol) {
                kubelet.close()
                throw .internalError("the kubelet chose WebSocket subprotocol \(subprotocol), which the client did not offer")
            }
            return .webSocket(
                WebSocketUpgrade(subprotocol: subprotocol, maximumMessageBytes: Self.maximumMessageBytes) { client in
                    await WebSocketRelay(kubelet: kubelet).run(client: client)
                })
        }
    }
}
