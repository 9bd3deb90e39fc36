import Foundation
import SkiffTime

/// One line of a CRI log: `2026-12-01T23:05:33.536351394Z stdout F content`.
public struct CRILogLine: Sendable, Hashable {
    public enum Stream: String, Sendable {
        case stdout, stderr
    }

    /// The timestamp as written (RFC 3339 with nanoseconds), for `--timestamps` output.
    public let timestamp: String
    public let time: Date
    public let stream: Stream
    /// P: the container's line continues in the next log line (it was longer than 16 KiB).
    public let partial: Bool
    public let content: Substring

    /// Parses a line without its newline; nil for a malformed line (skipped by readers,
    /// as the kubelet does).
    public init?(_ line: Substring) {
        let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3, let time = RFC3339.date(fields[0]),
              let stream = Stream(rawValue: String(fields[1])), fields[2] == "F" || fields[2] == "P"
        else { return nil }
        self.timestamp = String(fields[0])
        self.time = time
        self.stream = stream
        self.partial = fields[2] == "P"
        self.content = fields.count == 4 ? fields[3] : ""
    }

    /// The bytes `kubectl logs` shows for this line.
    public func rendered(timestamps: Bool) -> String {
        (timestamps ? "\(timestamp) " : "") + content + (partial ? "" : "\n")
    }
}
