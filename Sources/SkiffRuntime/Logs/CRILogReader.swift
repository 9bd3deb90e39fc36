import Foundation

/// What part of a container's log to read, as pods/log's query parameters.
public struct LogReadOptions: Sendable, Hashable {
    /// Only the last N lines (nil: all).
    public var tailLines: Int?
    /// Only lines written at or after this time.
    public var since: Date?
    public var timestamps: Bool
    /// Stop after this many bytes of output.
    public var limitBytes: Int?

    public init(tailLines: Int? = nil, since: Date? = nil, timestamps: Bool = false, limitBytes: Int? = nil) {
        self.tailLines = tailLines
        self.since = since
        self.timestamps = timestamps
        self.limitBytes = limitBytes
    }
}

/// Reads a CRI log and the files it rotated into (`NAME.N` … `NAME.1`, then `NAME`).
public enum CRILogReader {
    /// The log's files, oldest first.
    public static func files(of path: String) -> [String] {
        var rotated: [(Int, String)] = []
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            guard entry.hasPrefix(name + "."), let number = Int(entry.dropFirst(name.count + 1)) else { continue }
            rotated.append((number, "\(directory)/\(entry)"))
        }
        let existing = FileManager.default.fileExists(atPath: path) ? [path] : []
        return rotated.sorted { $0.0 > $1.0 }.map(\.1) + existing
    }

    /// The lines selected by `options`, in order.
    public static func read(_ path: String, options: LogReadOptions = LogReadOptions()) -> [CRILogLine] {
        var lines: [CRILogLine] = []
        for file in files(of: path) {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            lines += parse(Substring(decoding: data, as: UTF8.self))
        }
        return select(lines, options: options)
    }

    static func parse(_ text: Substring) -> [CRILogLine] {
        // Split on the byte: as Characters, a terminal's "\r\n" is one grapheme, not "\n".
        text.utf8.split(separator: UInt8(ascii: "\n")).compactMap { CRILogLine(Substring($0)) }
    }

    /// Applies since and tail; the tail counts whole lines (a P…F run is one line).
    static func select(_ lines: [CRILogLine], options: LogReadOptions) -> [CRILogLine] {
        var selected = lines
        if let since = options.since { selected = selected.filter { $0.time >= since } }
        if let tail = options.tailLines {
            var whole = 0
            var start = selected.endIndex
            while start > selected.startIndex {
                let previous = selected.index(before: start)
                if !selected[previous].partial {
                    if whole == tail { break }
                    whole += 1
                }
                start = previous
            }
            selected = Array(selected[start...])
        }
        return selected
    }

    /// Renders lines as `kubectl logs` prints them, cut at `limitBytes`.
    public static func render(_ lines: [CRILogLine], options: LogReadOptions) -> String {
        var output = ""
        for line in lines {
            output += line.rendered(timestamps: options.timestamps)
            if let limit = options.limitBytes, output.utf8.count >= limit {
                return String(decoding: output.utf8.prefix(limit), as: UTF8.self)
            }
        }
        return output
    }
}
