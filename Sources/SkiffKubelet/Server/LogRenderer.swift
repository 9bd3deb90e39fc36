import SkiffRuntime

/// Turns CRI log lines into the bytes `kubectl logs` shows, as upstream's log
/// reader writes them: content (a partial line without its newline), optionally
/// after the timestamp in Go's RFC 3339 with nanoseconds (trailing zeros of the
/// fraction dropped), and nothing past `limitBytes`, which may cut a line.
struct LogRenderer: Sendable {
    let timestamps: Bool
    private(set) var remaining: Int?

    init(timestamps: Bool, limitBytes: Int?) {
        self.timestamps = timestamps
        self.remaining = limitBytes
    }

    /// True once `limitBytes` are out: the response ends, even when following.
    var isExhausted: Bool { remaining.map { $0 <= 0 } ?? false }

    /// The bytes for `line`, cut to what the limit still allows.
    mutating func render(_ line: CRILogLine) -> [UInt8] {
        var bytes: [UInt8] = []
        if timestamps {
            bytes += Self.goTimestamp(line.timestamp).utf8
            bytes.append(UInt8(ascii: " "))
        }
        bytes += line.content.utf8
        if !line.partial { bytes.append(UInt8(ascii: "\n")) }
        if let left = remaining {
            if bytes.count > left { bytes.removeLast(bytes.count - left) }
            remaining = left - bytes.count
        }
        return bytes
    }

    /// The shim writes nine fraction digits; Go's RFC3339Nano layout drops trailing zeros
    /// (and the dot when nothing is left), which is what upstream prints.
    static func goTimestamp(_ written: String) -> String {
        guard let dot = written.firstIndex(of: "."), written.hasSuffix("Z") else { return written }
        let fraction = written[written.index(after: dot)..<written.index(before: written.endIndex)]
        guard fraction.allSatisfy(\.isNumber) else { return written }
        let trimmed = fraction.reversed().drop(while: { $0 == "0" }).reversed()
        return String(written[..<dot]) + (trimmed.isEmpty ? "" : "." + String(trimmed)) + "Z"
    }
}
