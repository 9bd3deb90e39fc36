import Foundation

/// Reads the shim's `exit.json`:
/// `{"exitCode":0,"signal":0,"oomKilled":false,"startedAt":"…","finishedAt":"…"}`.
enum ExitFile {
    static func read(_ path: String) -> ContainerExit? {
        guard let data = FileManager.default.contents(atPath: path),
              let raw = try? JSONDecoder().decode(Raw.self, from: data)
        else { return nil }
        return ContainerExit(
            exitCode: raw.exitCode, signal: raw.signal, oomKilled: raw.oomKilled,
            startedAt: RFC3339.parse(raw.startedAt), finishedAt: RFC3339.parse(raw.finishedAt))
    }

    private struct Raw: Decodable {
        var exitCode: Int32
        var signal: Int32
        var oomKilled: Bool
        var startedAt: String
        var finishedAt: String
    }
}

/// RFC 3339 timestamps with up to nanoseconds, as the shim and the CRI log write them.
enum RFC3339 {
    static func parse(_ text: some StringProtocol) -> Date? {
        // "2026-12-01T23:05:33.536351394Z": whole seconds, then the fraction by hand,
        // since ISO8601DateFormatter keeps only milliseconds.
        let string = String(text)
        guard let dot = string.firstIndex(of: "."), string.hasSuffix("Z") else {
            return wholeSeconds.date(from: string)
        }
        guard let seconds = wholeSeconds.date(from: String(string[..<dot]) + "Z") else { return nil }
        let digits = string[string.index(after: dot)..<string.index(before: string.endIndex)]
        guard let fraction = Double("0." + digits) else { return nil }
        return seconds.addingTimeInterval(fraction)
    }

    nonisolated(unsafe) private static let wholeSeconds: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()
}
