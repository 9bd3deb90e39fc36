import ArgumentParser
import Foundation
import SkiffStore

struct StoreSnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Save or restore a copy of the whole store.",
        subcommands: [Save.self, Restore.self])

    struct Save: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of the store to FILE, while the server runs.")

        @OptionGroup var location: StoreLocation
        @Argument var file: String

        func run() async throws {
            let store = try location.openDatabase()
            let revision = try await store.currentRevision
            try await store.snapshot(to: file)
            await store.close()
            print("Snapshot saved at \(file) (revision \(revision))")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the store with the snapshot in FILE. The server must be stopped.")

        @OptionGroup var location: StoreLocation
        @Argument var file: String

        func run() async throws {
            if location.datastore.datastoreEndpoint != nil {
                throw CommandFailure("restore works on the embedded store's file; for etcd use etcdctl snapshot restore")
            }
            do {
                try SQLiteStore.restore(from: file, to: location.databasePath)
            } catch let error as StoreError where error.code == .locked {
                throw CommandFailure("\(location.databasePath) is in use (is skiff server running?): stop it before restoring")
            }
            let store = try location.openDatabase()
            let revision = try await store.currentRevision
            await store.close()
            print("Restored \(file) to \(location.databasePath) (revision \(revision))")
        }
    }
}

struct StoreEndpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint", abstract: "Check the store.", subcommands: [Health.self])

    struct Health: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open the database, check its integrity and read it.")

        @OptionGroup var location: StoreLocation

        func run() async throws {
            let started = ContinuousClock.now
            do {
                var configuration = SQLiteStore.Configuration()
                configuration.fullIntegrityCheck = true
                guard FileManager.default.fileExists(atPath: location.databasePath) else {
                    throw CommandFailure("no database at \(location.databasePath)")
                }
                let store = try SQLiteStore(path: location.databasePath, configuration: configuration)
                // Like etcd's /health, a read through the whole stack; no write, so
                // a health check never changes the revision clients see.
                _ = try await store.get("health")
                let revision = try await store.currentRevision
                await store.close()
                let took = (ContinuousClock.now - started).components
                let milliseconds = Double(took.seconds) * 1000 + Double(took.attoseconds) / 1e15
                print("\(location.databasePath) is healthy: integrity ok, revision \(revision), took = \(String(format: "%.1f", milliseconds))ms")
            } catch {
                print("\(location.databasePath) is unhealthy: \(error)")
                throw ExitCode.failure
            }
        }
    }
}
