import Foundation
import NIOHTTP1
import Synchronization

/// The two ways the API benchmark loads the server, each over a fixed set of
/// keep-alive connections, one request in flight per connection.
enum APILoad {
    /// A request on a connection; `index` counts requests across all connections.
    typealias Operation = @Sendable (_ connection: LoopbackHTTPConnection, _ index: Int) async throws -> Void

    /// Hands out request indices to the connections' tasks.
    private final class Counter: Sendable {
        private let next = Atomic<Int>(0)
        func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
    }

    /// Open loop: request `i` is due at `start + i / rate`, whatever happened to
    /// earlier ones, and its latency runs from that due time to its reply. A slow
    /// reply therefore delays the requests queued behind it and they count the
    /// wait, so the figures are free of coordinated omission — as long as enough
    /// connections are open that one is always free when a request falls due.
    static func openLoop(
        rate: Double, count: Int, connections: [LoopbackHTTPConnection], operation: @escaping Operation
    ) async throws -> LoadResult {
        let counter = Counter()
        let start = monotonicSeconds() + 0.01
        let latencies = try await eachConnection(connections) { connection in
            var samples: [Double] = []
            while case let index = counter.take(), index < count {
                let due = start + Double(index) / rate
                let wait = due - monotonicSeconds()
                if wait > 0 { try await Task.sleep(for: .nanoseconds(Int64(wait * 1e9)), tolerance: .zero) }
                try await operation(connection, index)
                samples.append(monotonicSeconds() - due)
            }
            return samples
        }
        return LoadResult(concurrency: connections.count, seconds: monotonicSeconds() - start, latencies: latencies)
    }

    /// Closed loop: every connection sends its next request as soon as the last
    /// reply arrived, for `duration` seconds or until `limit` requests are done:
    /// the server's throughput at this concurrency.
    static func closedLoop(
        duration: Double = .infinity, limit: Int = .max, connections: [LoopbackHTTPConnection],
        operation: @escaping Operation
    ) async throws -> LoadResult {
        let counter = Counter()
        let start = monotonicSeconds()
        let end = start + duration
        let latencies = try await eachConnection(connections) { connection in
            var samples: [Double] = []
            while case let index = counter.take(), index < limit, monotonicSeconds() < end {
                let begin = monotonicSeconds()
                try await operation(connection, index)
                samples.append(monotonicSeconds() - begin)
            }
            return samples
        }
        return LoadResult(concurrency: connections.count, seconds: monotonicSeconds() - start, latencies: latencies)
    }

    /// Runs `body` once per connection, concurrently, and gathers the samples.
    private static func eachConnection(
        _ connections: [LoopbackHTTPConnection],
        _ body: @escaping @Sendable (LoopbackHTTPConnection) async throws -> [Double]
    ) async throws -> [Double] {
        try await withThrowingTaskGroup(of: [Double].self) { group in
            for connection in connections { group.addTask { try await body(connection) } }
            var all: [Double] = []
            for try await samples in group { all.append(contentsOf: samples) }
            return all
        }
    }
}

extension LoopbackHTTPConnection {
    /// Sends a request and throws unless the reply has the expected status.
    @discardableResult
    func expect(_ status: Int, _ method: NIOHTTP1.HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws
        -> Response
    {
        let reply = try await request(method, path, body: body)
        guard reply.status == status else {
            throw Failure(
                description: "\(method) \(path): expected \(status), got \(reply.status): "
                    + String(decoding: reply.body.prefix(500), as: UTF8.self))
        }
        return reply
    }
}

/// A value shared between load tasks and event-loop callbacks.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result: Sendable>(_ body: (inout sending Value) -> sending Result) -> Result {
        mutex.withLock(body)
    }
}
