import Foundation

/// `kubectl logs -f`: the selected lines, then every line appended after, across
/// rotations, until `isDone` says the writer has finished and nothing more arrived.
public enum CRILogFollower {
    public static func follow(
        _ path: String, options: LogReadOptions = LogReadOptions(), pollInterval: Duration = .milliseconds(100),
        isDone: @escaping @Sendable () async -> Bool
    ) -> AsyncStream<CRILogLine> {
        AsyncStream { continuation in
            let task = Task {
                // The current file is read through the cursor itself, so the lines written
                // while we read are neither lost nor seen twice.
                var cursor = Cursor(path: path)
                var initial: [CRILogLine] = []
                for file in CRILogReader.files(of: path) where file != path {
                    initial += FileManager.default.contents(atPath: file).map {
                        CRILogReader.parse(Substring(decoding: $0, as: UTF8.self))
                    } ?? []
                }
                initial += cursor.readNewLines()
                for line in CRILogReader.select(initial, options: options) { continuation.yield(line) }
                while !Task.isCancelled {
                    let lines = cursor.readNewLines()
                    for line in lines where options.since.map({ line.time >= $0 }) ?? true { continuation.yield(line) }
                    if lines.isEmpty {
                        if await isDone() {
                            // One last look: the writer may have finished just now.
                            for line in cursor.readNewLines() { continuation.yield(line) }
                            break
                        }
                        try? await Task.sleep(for: pollInterval)
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Position in the current log file; notices when the writer rotated it away.
    struct Cursor {
        let path: String
        var handle: FileHandle?
        var inode: UInt64 = 0
        var pending = Data()

        init(path: String) {
            self.path = path
            open()
        }

        mutating func open() {
            handle = FileHandle(forReadingAtPath: path)
            inode = Self.inode(of: path) ?? 0
            pending = Data()
        }

        mutating func readNewLines() -> [CRILogLine] {
            var lines = drain()
            // Rotated: the old file is finished (the writer renamed it, then opened a new one).
            if let current = Self.inode(of: path), current != inode {
                open()
                lines += drain()
            } else if handle == nil {
                open()
                lines += drain()
            }
            return lines
        }

        private mutating func drain() -> [CRILogLine] {
            guard let handle, let data = try? handle.readToEnd(), !data.isEmpty else { return [] }
            pending.append(data)
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
            let complete = pending[..<lastNewline]
            let lines = CRILogReader.parse(Substring(decoding: complete, as: UTF8.self))
            pending = Data(pending[pending.index(after: lastNewline)...])
            return lines
        }

        static func inode(of path: String) -> UInt64? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.systemFileNumber] as? UInt64
        }
    }
}
