import ArgumentParser
import Foundation
import SkiffAPI
import SkiffStore

/// `skiff store …`: an etcdctl-like look at the embedded store. It opens the
/// server's database file directly (SQLite allows that beside a running server,
/// whose watchers see these writes too), or etcd with `--datastore-endpoint`.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Read and write the embedded store, like etcdctl.",
        subcommands: [
            StoreGetCommand.self, StorePutCommand.self, StoreDeleteCommand.self, StoreWatchCommand.self,
            StoreCompactCommand.self, StoreSnapshotCommand.self, StoreEndpointCommand.self,
        ]
    )
}

/// Where the database is: `--db`, or the server's file under `--data-dir`.
struct StoreLocation: ParsableArguments {
    @Option(name: .long, help: "Skiff's data directory.")
    var dataDir = ServerPaths.defaultDataDir

    @Option(name: .long, help: "The database file (default: <data-dir>/server/db/state.db).")
    var db: String?

    @OptionGroup var datastore: DatastoreOptions

    var databasePath: String { db ?? ServerPaths(dataDir: dataDir).database }

    /// Opens etcd with `--datastore-endpoint`, else the existing database.
    func open() async throws -> any Store {
        if let configuration = try datastore.etcdConfiguration() {
            return try await datastore.connect(configuration)
        }
        return try openDatabase()
    }

    /// Opens the existing database; a tool never creates one by accident.
    func openDatabase() throws -> SQLiteStore {
        if datastore.datastoreEndpoint != nil {
            throw CommandFailure("this command works on the embedded store's file; for etcd use etcdctl")
        }
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw CommandFailure("no database at \(databasePath) (is --data-dir or --db right?)")
        }
        return try SQLiteStore(path: databasePath)
    }
}

/// Files a server keeps under its data directory, laid out like k3s's.
struct ServerPaths {
    static let defaultDataDir = "/var/lib/skiff"

    var dataDir: String

    var database: String { "\(dataDir)/server/db/state.db" }
}

extension Data {
    var text: String { String(decoding: self, as: UTF8.self) }
}

struct StoreGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Print a key, or every key under a prefix, with values.")

    @OptionGroup var location: StoreLocation
    @Argument(help: "The key, or the prefix with --prefix.") var key: String
    @Flag(help: "Get every key starting with KEY.") var prefix = false
    @Flag(help: "Print keys only.") var keysOnly = false
    @Flag(help: "Print values only.") var printValueOnly = false
    @Option(help: "Read the state as of this revision.") var rev: Int64?
    @Option(help: "At most this many keys.") var limit: Int?
    @Option(name: [.customShort("w"), .long], help: "simple or json.") var writeOut = "simple"

    func validate() throws {
        guard ["simple", "json"].contains(writeOut) else { throw ValidationError("--write-out must be simple or json") }
    }

    func run() async throws {
        let store = try await location.open()
        let result = try await store.range(prefix ? .prefix(key) : .key(key), revision: rev, limit: limit)
        await store.close()
        if writeOut == "json" {
            let kvs: [[String: Any]] = result.kvs.map {
                ["key": $0.key, "create_revision": $0.createRevision, "mod_revision": $0.modRevision,
                 "value": keysOnly ? "" : $0.value.text]
            }
            let document: [String: Any] = [
                "header": ["revision": result.revision], "kvs": kvs, "more": result.more, "count": kvs.count,
            ]
            let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
            print(data.text)
            return
        }
        for kv in result.kvs {
            if !printValueOnly { print(kv.key) }
            if !keysOnly { print(kv.value.text) }
        }
    }
}

struct StorePutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Write a key (the value from the argument, or from standard input).",
        discussion: """
            A value under /registry/<resource>/… must be a valid object of that resource \
            whose name and namespace match the key, as the API server would store it; \
            --raw writes any bytes.
            """)

    @OptionGroup var location: StoreLocation
    @Argument var key: String
    @Argument(help: "The value; read from standard input when absent.") var value: String?
    @Flag(help: "Write the bytes as they are, without checking objects under /registry/.") var raw = false

    func run() async throws {
        let data = value.map { Data($0.utf8) } ?? FileHandle.standardInput.readDataToEndOfFile()
        if !raw, key.hasPrefix(RegistryKey.root) {
            try StoredObjectCheck.check(key: key, value: data)
        }
        let store = try await location.open()
        _ = try await store.put(key, value: data)
        await store.close()
        print("OK")
    }
}

struct StoreDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "del", abstract: "Delete a key, or every key under a prefix; prints how many.")

    @OptionGroup var location: StoreLocation
    @Argument var key: String
    @Flag(help: "Delete every key starting with KEY.") var prefix = false

    func run() async throws {
        let store = try await location.open()
        var deleted = 0
        if prefix {
            // One key at a time: each delete is its own revision, as etcd's would be
            // in one transaction; an interrupted run leaves the rest in place.
            for kv in try await store.range(.prefix(key)).kvs {
                do {
                    _ = try await store.delete(kv.key)
                    deleted += 1
                } catch let error as StoreError where error.code == .notFound {
                    continue
                }
            }
        } else {
            do {
                _ = try await store.delete(key)
                deleted = 1
            } catch let error as StoreError where error.code == .notFound {}
        }
        await store.close()
        print(deleted)
    }
}

struct StoreWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Print changes to a key or prefix as they happen, until interrupted.")

    @OptionGroup var location: StoreLocation
    @Argument var key: String
    @Flag(help: "Watch every key starting with KEY.") var prefix = false
    @Option(help: "Start from this revision (replaying history).") var rev: Int64?

    func run() async throws {
        let store = try await location.open()
        var from = try await store.currentRevision + 1
        if let rev { from = rev }
        for try await event in try await store.watch(prefix ? .prefix(key) : .key(key), fromRevision: from) {
            var lines = [event.type == .put ? "PUT" : "DELETE", event.kv.key]
            if event.type == .put { lines.append(event.kv.value.text) }
            // Unbuffered, so a pipe sees each event as it happens.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}

struct StoreCompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact", abstract: "Drop the history older than a revision.")

    @OptionGroup var location: StoreLocation
    @Argument var revision: Int64

    func run() async throws {
        let store = try await location.open()
        try await store.compact(revision)
        await store.close()
        print("compacted revision \(revision)")
    }
}
