import Foundation
import SkiffProcess

/// File operations under the runtime's root, with errors that name the path.
enum RuntimeFiles {
    static func makeDirectory(_ path: String) throws(RuntimeError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .io("create \(path): \(error.localizedDescription)")
        }
    }

    /// Replaces `path` atomically (a temporary file renamed over it), without an
    /// fsync: the runtime's files describe containers, which a crash of the host
    /// ends anyway (an agent that is killed loses nothing: the page cache keeps the
    /// file). After a host crash a record may be empty, and the runtime skips it,
    /// leaving its directory behind. (Foundation's atomic write syncs every file;
    /// three of those were about a tenth of a container's start.)
    static func write(_ bytes: [UInt8], to path: String) throws(RuntimeError) {
        do { try AtomicFile.replace(path, with: bytes, durable: false) } catch { throw .io("\(error)") }
    }

    static func remove(_ path: String) throws(RuntimeError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw .io("remove \(path): \(error.localizedDescription)")
        }
    }
}

/// Runs blocking work (waiting on a shim's pipe, or for a monitor to exit) on a thread
/// of its own rather than on one of the few threads Swift concurrency shares. Not on
/// Dispatch's global queue either: its pool grows slowly when its threads block, and
/// with many waits under way a start queued behind them for seconds (seen in the
/// parallel test run).
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws(RuntimeError) -> T) async throws(RuntimeError) -> T {
        let result: Result<T, RuntimeError> = await withCheckedContinuation { continuation in
            let started = OwnThread.detach {
                do throws(RuntimeError) { continuation.resume(returning: .success(try work())) } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            if !started { continuation.resume(returning: .failure(.io("no thread could be started for blocking work"))) }
        }
        return try result.get()
    }
}
