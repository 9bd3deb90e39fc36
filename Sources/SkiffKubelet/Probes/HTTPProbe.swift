import SkiffAPI

/// An httpGet probe: upstream's DoHTTPProbe, its results and messages.
struct HTTPProbe: Sendable {
    var client = ProbeHTTPClient()

    func run(_ action: HTTPGetAction, target: ProbeTarget, timeout: Duration) async -> ProbeResult {
        let request: HTTPGetRequest
        do {
            request = try HTTPGetRequest(action: action, container: target.container, podIP: target.podIP, purpose: "probe")
        } catch {
            return .unknown(error.description)
        }
        let response: HTTPGetResponse
        do { response = try await client.get(request, timeout: timeout) } catch {
            // Errors are failures, so that timeouts count against the container.
            return .failure(error.description)
        }
        switch response.status {
        case 200..<300:
            return .success
        case 300..<400:
            let body = String(decoding: response.body, as: UTF8.self)
            return .warning("Probe terminated redirects, Response body: \(body)")
        default:
            return .failure("HTTP probe failed with statuscode: \(response.status)")
        }
    }
}
