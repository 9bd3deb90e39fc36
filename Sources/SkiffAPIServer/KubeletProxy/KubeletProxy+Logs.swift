import NIOCore
import NIOHTTP1
import SkiffAPI

/// An HTTP/1.1 client connection to a kubelet.
typealias KubeletHTTPChannel = HeldChannel<HTTPClientResponsePart, HTTPClientRequestPart>

extension KubeletProxy {
    /// How much of a kubelet's error body is read into the error, as upstream's
    /// response checker reads at most.
    static let errorBodyLimit = 50_000

    /// `GET pods/{name}/log`: validated options (422), the pod (404), its container
    /// (400), then the kubelet's answer streamed back as it comes — status and
    /// Content-Type as the kubelet sent them — until the kubelet ends it or the
    /// client leaves, which closes the kubelet connection. A pod on no node yet has
    /// no logs: 204, as upstream answers a stream without a location.
    func logs(namespace: String, name: String, request: APIRequest) async throws(APIError) -> APIResponse {
        let options = try PodLogQuery(query: request.query)
        try options.validate(podName: name)
        let pod = try await locator.pod(namespace: namespace, name: name)
        let container = try KubeletLocator.container(options.container, in: pod)
        guard let node = pod.spec.nodeName, !node.isEmpty else { return APIResponse(status: 204) }
        let location = try await locator.location(
            of: pod, path: "/containerLogs/\(namespace)/\(name)/\(container)", query: options.kubeletQuery)

        let failure = { (error: any Error) -> APIError in
            // Worded as Go's http.Client reports it: `Get "https://…": dial tcp …`.
            APIError(
                code: 500, reason: "InternalError",
                message: "Get \"\(location.url(tls: connector.usesTLS))\": \(error)")
        }
        let channel: KubeletHTTPChannel
        let head: HTTPResponseHead
        do {
            channel = try await get(location, verifyingKubelet: !options.insecureSkipTLSVerifyBackend)
            head = try await Self.readHead(channel)
        } catch {
            throw failure(error)
        }
        let status = Int(head.status.code)
        guard (200...206).contains(status) else {
            let body = (try? await Self.readBody(channel, limit: Self.errorBodyLimit)) ?? []
            channel.close()
            throw KubeletErrors.logError(status: status, body: body, podName: name)
        }
        let contentType = head.headers.first(name: "content-type") ?? "text/plain"
        return APIResponse(status: status, contentType: contentType, stream: Self.bodyStream(channel))
    }

    /// Sends a GET to the kubelet; the response is read from the returned channel.
    func get(_ location: KubeletLocation, verifyingKubelet: Bool) async throws -> KubeletHTTPChannel {
        let opened = try await connector.connect(to: location, verifyingKubelet: verifyingKubelet) { channel in
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                wrappingChannelSynchronously: channel)
        }
        let channel = await HeldChannel.hold(opened)
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: location.authority)
        headers.add(name: "User-Agent", value: Self.userAgent)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: location.target, headers: headers)
        do {
            try await channel.outbound.write(contentsOf: [.head(head), .end(nil)])
        } catch {
            channel.close()
            throw error
        }
        return channel
    }

    /// The response head; the connection closes on anything else.
    static func readHead(_ channel: KubeletHTTPChannel) async throws -> HTTPResponseHead {
        do {
            while let part = try await channel.next() {
                // Informational answers (100 Continue) come before the real head.
                if case .head(let head) = part, head.status.code >= 200 { return head }
            }
            throw KubeletStreamError.closedBeforeResponse
        } catch {
            channel.close()
            throw error
        }
    }

    /// The rest of a response body, at most `limit` bytes of it.
    static func readBody(_ channel: KubeletHTTPChannel, limit: Int) async throws -> [UInt8] {
        var body: [UInt8] = []
        while let part = try await channel.next() {
            switch part {
            case .body(let buffer):
                body += buffer.readableBytesView.prefix(max(0, limit - body.count))
            case .end:
                return body
            case .head:
                continue
            }
        }
        return body
    }

    /// The body as a stream that reads from the kubelet only when the client's
    /// connection asks for more, so a slow reader slows the kubelet rather than
    /// filling memory. The end of the body, an error or the client leaving (the
    /// read is cancelled) closes the kubelet connection.
    static func bodyStream(_ channel: KubeletHTTPChannel) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream {
            do {
                while let part = try await channel.next() {
                    switch part {
                    case .body(let buffer) where buffer.readableBytes > 0:
                        return Array(buffer.readableBytesView)
                    case .end:
                        channel.close()
                        return nil
                    case .head, .body:
                        continue
                    }
                }
                // The kubelet went away mid-body: the client must see the response cut short.
                throw KubeletStreamError.truncated
            } catch {
                channel.close()
                throw error
            }
        }
    }
}

/// A kubelet connection that ended before its response did.
enum KubeletStreamError: Error, CustomStringConvertible {
    case closedBeforeResponse
    case truncated

    var description: String {
        switch self {
        case .closedBeforeResponse: "the kubelet closed the connection before answering"
        case .truncated: "the kubelet closed the connection before the end of the response"
        }
    }
}
