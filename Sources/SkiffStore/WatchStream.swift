import Foundation
import Synchronization

/// Where a watch stream reads the history it must replay before live events.
protocol WatchReplaySource: Sendable {
    /// Events in `range` with revisions in `from...through`, in revision order, at
    /// most `limit` of them.
    /// - Throws: ``StoreError/Code/compacted`` if history from `from` is gone.
    func replay(_ range: KeyRange, from: Int64, through: Int64, limit: Int) async throws -> [WatchEvent]
}

/// The events of one watch: history first, read page by page as the consumer
/// pulls (so a long replay holds at most one page in memory), then live events.
///
/// Iterate it once, from one task. Cancelling that task ends the iteration; the
/// subscription is dropped with the stream.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent

    private let cursor: WatchCursor

    init(subscription: WatchSubscription, source: any WatchReplaySource, replayThrough: Int64) {
        cursor = WatchCursor(subscription: subscription, source: source, replayThrough: replayThrough)
    }

    /// A stream of the subscription's events only, for a backend whose own watch
    /// sends history and live events alike (etcd).
    init(live subscription: WatchSubscription) {
        cursor = WatchCursor(subscription: subscription, source: nil, replayThrough: subscription.fromRevision - 1)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(cursor: cursor)
    }

    public struct Iterator: AsyncIteratorProtocol {
        fileprivate let cursor: WatchCursor

        public mutating func next() async throws -> WatchEvent? {
            try await cursor.next()
        }
    }
}

/// The state behind a ``WatchStream``; unsubscribes when the last reference goes.
private final class WatchCursor: Sendable {
    private struct Replay {
        /// The next revision to replay; past `through` once replay is over.
        var next: Int64
        let through: Int64
        var page: [WatchEvent] = []
        var pageIndex = 0
    }

    static let pageSize = 500

    private let subscription: WatchSubscription
    /// Nil when there is nothing to replay.
    private let source: (any WatchReplaySource)?
    private let replay: Mutex<Replay>

    init(subscription: WatchSubscription, source: (any WatchReplaySource)?, replayThrough: Int64) {
        self.subscription = subscription
        self.source = source
        replay = Mutex(Replay(next: subscription.fromRevision, through: replayThrough))
    }

    deinit {
        subscription.end(.success(()))
    }

    func next() async throws -> WatchEvent? {
        while true {
            if Task.isCancelled {
                subscription.end(.success(()))
                return nil
            }
            enum Step { case event(WatchEvent), fetch(any WatchReplaySource, from: Int64, through: Int64), live }
            let step: Step = replay.withLock { replay in
                if replay.pageIndex < replay.page.count {
                    defer { replay.pageIndex += 1 }
                    return .event(replay.page[replay.pageIndex])
                }
                guard let source, replay.next <= replay.through else { return .live }
                return .fetch(source, from: replay.next, through: replay.through)
            }
            switch step {
            case .event(let event):
                return event
            case .live:
                return try await subscription.next()
            case .fetch(let source, let from, let through):
                let page: [WatchEvent]
                do {
                    page = try await source.replay(subscription.range, from: from, through: through, limit: Self.pageSize)
                } catch is CancellationError {
                    subscription.end(.success(()))
                    return nil
                } catch {
                    subscription.end(.success(()))
                    throw error
                }
                replay.withLock { replay in
                    replay.page = page
                    replay.pageIndex = 0
                    if page.count < Self.pageSize {
                        replay.next = through + 1
                    } else {
                        replay.next = page[page.count - 1].revision + 1
                    }
                }
            }
        }
    }
}
