import SkiffAPI

/// Kubelet failures as the API server reports them to clients.
enum KubeletErrors {
    /// A kubelet's non-2xx answer to a log request, as upstream's generic response
    /// checker turns it into a `Status`: 500 and 400 carry the kubelet's own text
    /// (`container "web" in pod "web" is waiting to start: ContainerCreating`);
    /// other codes get apimachinery's generic wording naming `pods/log`.
    static func logError(status: Int, body: [UInt8], podName: String) -> APIError {
        let text = String(decoding: body, as: UTF8.self)
        switch status {
        case 500: return .internalError(text)
        case 400: return .badRequest(text)
        default: return genericServerResponse(status: status, serverMessage: text, resource: "pods/log", name: podName)
        }
    }

    /// apimachinery's NewGenericServerResponse with an empty verb, for a response
    /// "not in a recognizable form".
    static func genericServerResponse(status: Int, serverMessage: String, resource: String, name: String) -> APIError {
        var reason = ""
        var message = "the server responded with the status code \(status) but did not return more information"
        switch status {
        case 409:
            reason = "Conflict"
            message = "the server reported a conflict"
        case 404:
            reason = "NotFound"
            message = "the server could not find the requested resource"
        case 400:
            reason = "BadRequest"
            message = "the server rejected our request for an unknown reason"
        case 401:
            reason = "Unauthorized"
            message = "the server has asked for the client to provide credentials"
        case 403:
            // The kubelet's message says who may not do what: upstream keeps it.
            reason = "Forbidden"
            message = serverMessage
        case 405:
            reason = "MethodNotAllowed"
            message = "the server does not allow this method on the requested resource"
        case 422:
            reason = "Invalid"
            message = "the server rejected our request due to an error in our request"
        case 504:
            reason = "Timeout"
            message = "the server was unable to return a response in the time allotted, but may still be processing the request"
        case 429:
            reason = "TooManyRequests"
            message = "the server has received too many requests and has asked us to try again later"
        case 500...:
            reason = "InternalError"
            message = "an error on the server (\(serverMessage.debugDescription)) has prevented the request from succeeding"
        default:
            break
        }
        // Upstream formats `(verb resource name)` with an empty verb, hence the leading space.
        var details = StatusDetails()
        details.name = name
        details.kind = resource
        return APIError(code: status, reason: reason, message: "\(message) ( \(resource) \(name))", details: details)
    }

    /// A connection to the kubelet for exec, attach or port-forward that failed
    /// before the kubelet answered, worded as upstream's upgrade-aware proxy does.
    static func dialFailure(_ error: any Error) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "error dialing backend: \(error)")
    }

    /// The answer to an exec, attach or port-forward request that is no WebSocket
    /// upgrade: Skiff relays WebSocket only, where upstream would also take SPDY.
    static func webSocketRequired(_ kind: PodStreamKind) -> APIError {
        let protocols =
            switch kind {
            case .exec, .attach: "v5.channel.k8s.io or v4.channel.k8s.io"
            case .portForward: "SPDY/3.1+portforward.k8s.io or portforward.k8s.io"
            }
        return .badRequest(
            "Upgrade request required: pods/\(kind.rawValue) is served over WebSocket only (a GET with "
                + "Upgrade: websocket and Sec-WebSocket-Protocol \(protocols) on HTTP/1.1); SPDY is not supported")
    }
}
