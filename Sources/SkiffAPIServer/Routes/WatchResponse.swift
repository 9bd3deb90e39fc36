import SkiffAPI

/// The body of a `?watch=true` response: the cache's events as JSON lines, pulled
/// one at a time as the client reads, so a client that stops reading leaves its
/// events in the watcher's bounded queue and is ended there instead of piling
/// them up here. Ends after the watch's timeout, as upstream's do.
final class WatchResponseBody: @unchecked Sendable {
    // Only the response's writer task calls `next()`, one call at a time.
    private var iterator: WatchCache.Stream.Iterator
    private let subscription: Subscription
    private let transform: @Sendable (WatchCache.Event) throws -> WatchCache.Event
    private let timer: Task<Void, Never>

    /// - Parameter transform: rewrites each event's object (Tables for
    ///   `kubectl get -w`); what it throws ends the watch with an ERROR event.
    init(
        stream: WatchCache.Stream, timeout: Duration,
        transform: @escaping @Sendable (WatchCache.Event) throws -> WatchCache.Event = { $0 }
    ) {
        iterator = stream.makeAsyncIterator()
        subscription = stream.subscription
        self.transform = transform
        let watcher = stream.subscription.watcher
        timer = Task {
            do {
                try await Task.sleep(for: timeout)
                watcher.cancel()
            } catch {}
        }
    }

    deinit {
        timer.cancel()
        subscription.watcher.cancel()
    }

    private var failed = false

    func next() async -> [UInt8]? {
        guard !failed, let event = await iterator.next() else { return nil }
        switch event.type {
        case .bookmark, .error:
            return event.line
        default:
            do {
                return try transform(event).line
            } catch {
                failed = true
                let apiError = (error as? APIError) ?? .internalError("\(error)")
                return WatchCache.Event.error(apiError).line
            }
        }
    }

    /// The response: 200, chunked, one line per event.
    static func response(_ body: WatchResponseBody) -> APIResponse {
        let stream = AsyncThrowingStream<[UInt8], any Error>(unfolding: { await body.next() })
        var response = APIResponse(status: 200, contentType: "application/json", stream: stream)
        response.headers.add("Cache-Control", "no-cache, private")
        return response
    }

    /// A watch's timeout: the one asked for, else a random one between 30 and 60
    /// minutes (kube-apiserver's --min-request-timeout spread), so that watchers
    /// do not all reconnect at once.
    static func timeout(requested: Int64?) -> Duration {
        if let requested, requested > 0 { return .seconds(requested) }
        return .seconds(Int64.random(in: 1800...3600))
    }
}
