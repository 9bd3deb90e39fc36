import NIOCore
import SkiffAPI

extension APIClient {
    /// Watches a kind from `options.resourceVersion` (nil: the current state as
    /// ADDED events first). Events arrive in order until the server ends the
    /// watch (its timeout) or the consumer stops iterating, which closes the
    /// connection. A failed start throws, e.g. 410 for a compacted revision.
    public func watch<T: APIObject>(
        _ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws(ClientError) -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        var query = options.queryItems
        query.append(("watch", "true"))
        if options.allowWatchBookmarks { query.append(("allowWatchBookmarks", "true")) }
        let (connection, body) = try await stream(T.path(namespace: namespace), query: query)
        let (events, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent<T>.self)
        let reader = Task {
            var lines = LineSplitter()
            do {
                for try await chunk in body {
                    for line in lines.append(chunk) { continuation.yield(try WatchEvent<T>.decode(line: line)) }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
            connection.close()
        }
        continuation.onTermination = { _ in
            reader.cancel()
            connection.close()
        }
        return events
    }
}

/// Splits a byte stream into newline-terminated lines, keeping a partial last line.
struct LineSplitter {
    private var pending: [UInt8] = []

    mutating func append(_ chunk: ByteBuffer) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        chunk.withUnsafeReadableBytes { bytes in
            var start = bytes.startIndex
            while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if pending.isEmpty {
                    if newline > start { lines.append(Array(bytes[start..<newline])) }
                } else {
                    pending += bytes[start..<newline]
                    lines.append(pending)
                    pending.removeAll(keepingCapacity: true)
                }
                start = newline + 1
            }
            pending += bytes[start...]
        }
        return lines
    }
}
