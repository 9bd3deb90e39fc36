import Foundation
import SkiffTime

/// Reads the shim's `exit.json`:
/// `{"exitCode":0,"signal":0,"oomKilled":false,"startedAt":"…","finishedAt":"…"}`.
enum ExitFile {
    static func read(_ path: String) -> ContainerExit? {
        guard let data = FileManager.default.contents(atPath: path),
              let raw = try? JSONDecoder().decode(Raw.self, from: data)
        else { return nil }
        return ContainerExit(
            exitCode: raw.exitCode, signal: raw.signal, oomKilled: raw.oomKilled,
            startedAt: RFC3339.date(raw.startedAt), finishedAt: RFC3339.date(raw.finishedAt))
    }

    private struct Raw: Decodable {
        var exitCode: Int32
        var signal: Int32
        var oomKilled: Bool
        var startedAt: String
        var finishedAt: String
    }
}
