import Foundation

/// File operations under the runtime's root, with errors that name the path.
enum RuntimeFiles {
    static func makeDirectory(_ path: String) throws(RuntimeError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .io("create \(path): \(error.localizedDescription)")
        }
    }

    /// Replaces `path` atomically (a temporary file renamed over it).
    static func write(_ bytes: [UInt8], to path: String) throws(RuntimeError) {
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .io("write \(path): \(error.localizedDescription)")
        }
    }

    static func remove(_ path: String) throws(RuntimeError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw .io("remove \(path): \(error.localizedDescription)")
        }
    }
}

/// Runs blocking work (waiting on a shim's pipe) on a Dispatch thread rather than on
/// one of the few threads Swift concurrency shares.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws(RuntimeError) -> T) async throws(RuntimeError) -> T {
        let result: Result<T, RuntimeError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(RuntimeError) { continuation.resume(returning: .success(try work())) } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
