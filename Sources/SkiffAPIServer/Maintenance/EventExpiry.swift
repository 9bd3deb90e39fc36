import Logging
import SkiffAPI
import SkiffStore

/// Deletes core/v1 Events older than a TTL, as kube-apiserver's `--event-ttl`
/// (default one hour) has etcd expire them. The store has no leases, so the
/// server sweeps instead: an event expires `ttl` after it was last seen — its
/// newest of lastTimestamp, series.lastObservedTime, eventTime, firstTimestamp and
/// creationTimestamp, as upstream's lease restarts on every write of the event.
public struct EventExpiry: Sendable {
    /// Upstream's `--event-ttl` default.
    public static let defaultTTL: Duration = .seconds(3600)

    public let ttl: Duration
    let events: ResourceRegistry<Event>
    let now: @Sendable () -> Time
    let logger: Logger

    /// Events are listed this many at a time.
    static let pageSize = 500

    /// - Parameter context: its clock decides what has expired.
    public init(
        store: any Store, context: Registry.Context = Registry.Context(), ttl: Duration = EventExpiry.defaultTTL,
        logger: Logger = Logger(label: "skiff.apiserver.events")
    ) {
        self.ttl = ttl
        self.events = ResourceRegistry<Event>(store: store, context: context)
        self.now = context.now
        self.logger = logger
    }

    /// When `event` was last seen.
    public static func lastSeen(_ event: Event) -> Time? {
        let times: [Int64?] = [
            event.lastTimestamp?.nanosecondsSinceEpoch, event.series?.lastObservedTime?.nanosecondsSinceEpoch,
            event.eventTime?.nanosecondsSinceEpoch, event.firstTimestamp?.nanosecondsSinceEpoch,
            event.metadata.creationTimestamp?.nanosecondsSinceEpoch,
        ]
        return times.compactMap { $0 }.max().map { Time(nanosecondsSinceEpoch: $0) }
    }

    /// Deletes every expired event; returns how many went. An event written again
    /// while the sweep runs is kept (the delete is conditional on the version read).
    @discardableResult
    public func sweep() async throws(APIError) -> Int {
        let cutoff = now().nanosecondsSinceEpoch - ttl.nanoseconds
        var options = Registry.ListOptions(limit: Self.pageSize)
        var deleted = 0
        while true {
            let page = try await events.list(namespace: nil, options: options)
            for event in page.items {
                guard let seen = Self.lastSeen(event), seen.nanosecondsSinceEpoch <= cutoff else { continue }
                var delete = DeleteOptions()
                var preconditions = Preconditions()
                preconditions.resourceVersion = event.metadata.resourceVersion
                delete.preconditions = preconditions
                do {
                    _ = try await events.delete(
                        namespace: event.metadata.namespace, name: event.metadata.name ?? "", options: delete)
                    deleted += 1
                } catch where error.code == 404 || error.code == 409 {
                    continue
                }
            }
            guard let token = page.metadata.continue, !token.isEmpty else { break }
            options = Registry.ListOptions(limit: Self.pageSize, continueToken: token)
        }
        return deleted
    }

    /// Sweeps every `interval` until the task is cancelled; a failed sweep is logged
    /// and the next one tries again.
    public func run(every interval: Duration = .seconds(60)) async {
        while !Task.isCancelled {
            do {
                let deleted = try await sweep()
                if deleted > 0 { logger.info("expired events", metadata: ["deleted": "\(deleted)"]) }
            } catch {
                logger.error("event expiry failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
