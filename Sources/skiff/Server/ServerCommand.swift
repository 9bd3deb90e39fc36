import ArgumentParser
import Dispatch
import Foundation
import Logging
import SkiffStore

/// `skiff server`: the control plane. Today that is the embedded store, kept open,
/// compacted on a schedule and closed cleanly on SIGINT/SIGTERM; the API server,
/// scheduler and controllers join it as they are built.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Run the control plane on the embedded store.")

    @Option(help: "Skiff's data directory.")
    var dataDir = ServerPaths.defaultDataDir

    @Option(help: "sqlite (durable, the default) or memory (lost at exit; for tests).")
    var store = "sqlite"

    @Option(help: "Revisions of history automatic compaction keeps.")
    var compactionKeep: Int64 = StoreLimits.defaultCompactionKeep

    @Option(help: "Seconds between automatic compactions.")
    var compactionInterval = 300

    func validate() throws {
        guard ["sqlite", "memory"].contains(store) else { throw ValidationError("--store must be sqlite or memory") }
        guard compactionKeep >= 0, compactionInterval > 0 else {
            throw ValidationError("--compaction-keep must be ≥ 0 and --compaction-interval > 0")
        }
    }

    func run() async throws {
        let shutdown = ShutdownSignal()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "skiff.server")
        let lock = try ServerLock(dataDir: dataDir)
        defer { withExtendedLifetime(lock) {} }
        let backend: any Store
        if store == "memory" {
            backend = MemoryStore()
        } else {
            let path = ServerPaths(dataDir: dataDir).database
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            backend = try SQLiteStore(path: path)
            let revision = try await backend.currentRevision
            logger.info("store ready", metadata: ["path": "\(path)", "revision": "\(revision)"])
        }

        let compaction = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(compactionInterval))
                if Task.isCancelled { break }
                do {
                    if let revision = try await backend.compactOldRevisions(keep: compactionKeep) {
                        logger.info("compacted", metadata: ["revision": "\(revision)"])
                    }
                } catch {
                    logger.error("compaction failed", metadata: ["error": "\(error)"])
                }
            }
        }

        let signal = await shutdown.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        compaction.cancel()
        await backend.close()
    }
}

/// SIGINT and SIGTERM, caught from the moment this is made, so a signal that comes
/// while the server is still starting ends it cleanly too.
final class ShutdownSignal {
    private let names: AsyncStream<String>
    private let sources: [any DispatchSourceSignal]

    init() {
        let (names, continuation) = AsyncStream.makeStream(of: String.self)
        self.names = names
        sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            return source
        }
    }

    /// The name of the first signal received.
    func wait() async -> String {
        for await name in names { return name }
        return "end of signals"
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
