import Logging
import SkiffAPIServer
import SkiffRuntime

/// The kubelet API's routes: decode the path, check who asks, hand the request to
/// its endpoint, and answer refusals as upstream's kubelet does (plain text).
struct KubeletRouter: APIHandler {
    let authorizer: KubeletAuthorizer?
    let logs: ContainerLogsEndpoint
    let remoteCommand: RemoteCommandEndpoint
    let portForward: PortForwardEndpoint
    let metrics: MetricsEndpoint
    let logger: Logger

    func handle(_ request: APIRequest) async -> APIResponse {
        if let refusal = authorizer?.refusal(for: request) {
            logger.info(
                "request refused",
                metadata: ["path": "\(request.path)", "status": "\(refusal.status)", "reason": "\(refusal.message)"])
            return refusal.response
        }
        do {
            return try await route(request)
        } catch {
            logger.debug("request failed", metadata: ["path": "\(request.path)", "status": "\(error.status)"])
            return error.response
        }
    }

    private func route(_ request: APIRequest) async throws(KubeletRefusal) -> APIResponse {
        let segments = request.pathSegments
        let method = request.method
        let streaming = method == "GET" || method == "POST"
        switch (segments.first, segments.count) {
        case ("healthz", 1):
            return APIResponse(status: 200, contentType: "text/plain; charset=utf-8", body: Array("ok".utf8))
        case ("metrics", 1):
            guard method == "GET" else { throw Self.methodNotAllowed }
            return APIResponse(status: 200, contentType: MetricsEndpoint.contentType, body: Array(await metrics.render().utf8))
        case ("containerLogs", 4):
            guard method == "GET" else { throw Self.methodNotAllowed }
            return try await logs.serve(
                namespace: segments[1], pod: segments[2], container: segments[3], query: request.query)
        case ("exec", 4):
            guard streaming else { throw Self.methodNotAllowed }
            return try await remoteCommand.exec(
                namespace: segments[1], pod: segments[2], container: segments[3], request: request)
        case ("attach", 4):
            guard streaming else { throw Self.methodNotAllowed }
            return try await remoteCommand.attach(
                namespace: segments[1], pod: segments[2], container: segments[3], request: request)
        case ("portForward", 3):
            guard streaming else { throw Self.methodNotAllowed }
            return try await portForward.serve(namespace: segments[1], pod: segments[2], request: request)
        default:
            throw Self.pageNotFound
        }
    }

    // go-restful's own answers for a path no route matches and a method a route does not take.
    static let pageNotFound = KubeletRefusal.notFound("404: Page Not Found")
    static let methodNotAllowed = KubeletRefusal(status: 405, message: "405: Method Not Allowed")
}
