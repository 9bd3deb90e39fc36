import Foundation
import NIOCore

/// Watch event latency: many watchers of one namespace, each on its own
/// connection from the list's resourceVersion, then pods created there at a
/// modest open-loop rate. Each watcher-event's latency runs from the moment its
/// create request was sent to the moment that watcher read the event.
struct APIWatchLatency {
    var namespace: String
    var watchers: Int
    var creates: Int
    var rate: Double

    struct Result {
        var latency: LoadResult
        /// Watcher-events expected (creates × watchers) and received.
        var expected: Int
        var received: Int
    }

    func run(
        endpoint: APIEndpoint, creators: [LoopbackHTTPConnection]
    ) async throws -> Result {
        let base = "/api/v1/namespaces/\(namespace)/pods"
        let list = try await creators[0].expect(200, .GET, base)
        guard let resourceVersion = Self.field(["metadata", "resourceVersion"], of: list.body) else {
            throw LoopbackHTTPConnection.Failure(description: "list of \(base) has no resourceVersion")
        }
        let connections = try await withThrowingTaskGroup(of: LoopbackHTTPConnection.self) { group in
            for _ in 0..<watchers { group.addTask { try await endpoint.connect() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { connections.forEach { $0.close() } }
        // What each watcher read: every line with the time its last bytes arrived.
        let logs = (0..<watchers).map { _ in Locked<[(line: ByteBuffer, readAt: Double)]>([]) }
        for (connection, log) in zip(connections, logs) {
            let status = try await connection.streamLines("\(base)?watch=true&resourceVersion=\(resourceVersion)") {
                line, readAt in log.withLock { $0.append((line, readAt)) }
            }
            guard status == 200 else { throw LoopbackHTTPConnection.Failure(description: "watch answered \(status)") }
        }

        let sentAt = Locked<[Int: Double]>([:])
        let namespace = self.namespace
        let started = monotonicSeconds()
        _ = try await APILoad.openLoop(rate: rate, count: creates, connections: creators) { connection, index in
            let pod = APIBenchObjects.pod(name: "watch-\(index)", namespace: namespace)
            sentAt.withLock { $0[index] = monotonicSeconds() }
            try await connection.expect(201, .POST, base, body: pod)
        }
        // Events still in flight when the last create returns get a moment to land.
        let deadline = monotonicSeconds() + 10
        while logs.contains(where: { $0.withLock { $0.count } < creates }), monotonicSeconds() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let seconds = monotonicSeconds() - started
        let sendTimes = sentAt.withLock { $0 }
        var latencies: [Double] = []
        for log in logs {
            for (line, readAt) in log.withLock({ $0 }) {
                let bytes = Array(buffer: line)
                guard Self.field(["type"], of: bytes) == "ADDED",
                    let name = Self.field(["object", "metadata", "name"], of: bytes),
                    let index = Int(name.dropFirst("watch-".count)), let sent = sendTimes[index]
                else { continue }
                latencies.append(readAt - sent)
            }
        }
        return Result(
            latency: LoadResult(concurrency: watchers, seconds: seconds, latencies: latencies),
            expected: creates * watchers, received: latencies.count)
    }

    /// A string at a path of keys in a JSON document.
    static func field(_ path: [String], of json: [UInt8]) -> String? {
        var value = try? JSONSerialization.jsonObject(with: Data(json))
        for key in path { value = (value as? [String: Any])?[key] }
        return value as? String
    }
}
