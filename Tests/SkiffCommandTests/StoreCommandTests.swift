import Foundation
import Testing

/// `skiff store` as an operator uses it: against a data directory on disk.
@Suite struct StoreCommandTests {
    let skiff: SkiffBinary
    let scratch: ScratchDirectory

    init() throws {
        skiff = try SkiffBinary()
        scratch = try ScratchDirectory()
    }

    private var dataDir: [String] { ["--data-dir", scratch.path] }

    /// Creates the database by running the server once (the tools alone refuse to).
    func createDatabase() async throws {
        let outcome = try await skiff.run(["store", "put", "--raw", "/skiff/init", "1", "--db", scratch.path + "/server/db/state.db"])
        // The tools refuse to create a database; the first open must come from elsewhere.
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("no database at"))
        // The server creates it: start one until its store is ready.
        let server = try skiff.startServer(dataDir)
        #expect(skiff.stop(server) == 0, "skiff server should stop cleanly on SIGTERM")
    }

    private let configMap = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"default"},"data":{"mode":"fast"}}"#

    @Test func putGetDeleteLikeEtcdctl() async throws {
        try await createDatabase()
        let put = try await skiff.run(["store", "put", "/registry/configmaps/default/settings", configMap] + dataDir)
        #expect(put.status == 0 && put.stdout == "OK\n", "\(put.stderr)")
        let fromStdin = try await skiff.run(["store", "put", "--raw", "/notes/a"] + dataDir, input: "hello")
        #expect(fromStdin.status == 0)

        let get = try await skiff.run(["store", "get", "/registry/configmaps/", "--prefix"] + dataDir)
        #expect(get.stdout == "/registry/configmaps/default/settings\n\(configMap)\n")
        // The server wrote the default namespaces when it first started.
        let keys = try await skiff.run(["store", "get", "/", "--prefix", "--keys-only"] + dataDir)
        let listed = keys.stdout.split(separator: "\n")
        #expect(listed.first == "/notes/a" && listed.contains("/registry/configmaps/default/settings"))
        #expect(listed.contains("/registry/namespaces/default"), "\(keys.stdout)")
        let value = try await skiff.run(["store", "get", "/notes/a", "--print-value-only"] + dataDir)
        #expect(value.stdout == "hello\n")

        let deleted = try await skiff.run(["store", "del", "/notes/", "--prefix"] + dataDir)
        #expect(deleted.stdout == "1\n")
        let empty = try await skiff.run(["store", "get", "/notes/", "--prefix"] + dataDir)
        #expect(empty.status == 0 && empty.stdout.isEmpty)
    }

    @Test func readsAnOlderRevision() async throws {
        try await createDatabase()
        try await skiff.run(["store", "put", "--raw", "/k", "one"] + dataDir)
        try await skiff.run(["store", "put", "--raw", "/k", "two"] + dataDir)
        let json = try await skiff.run(["store", "get", "/k", "-w", "json"] + dataDir)
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let revision = try #require((document?["header"] as? [String: Any])?["revision"] as? Int)
        let old = try await skiff.run(["store", "get", "/k", "--print-value-only", "--rev", String(revision - 1)] + dataDir)
        #expect(old.stdout == "one\n")
    }

    @Test(arguments: [
        (#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},"spec":{"containers":[{"name":"c","image":"busybox","imagePullPolice":"x"}]}}"#,
         #"strict decoding error: unknown field "spec.containers[0].imagePullPolice""#),
        (#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"other","namespace":"default"}}"#,
         "which belongs at /registry/pods/default/other"),
        (#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"}"#,
         "json parse error: unexpected end of JSON input"),
        (#"{"apiVersion":"v1","kind":"Pud","metadata":{"name":"web","namespace":"default"}}"#,
         #"no kind "Pud" is registered for version "v1""#),
    ])
    func refusesBadObjectsAndWritesNothing(value: String, message: String) async throws {
        try await createDatabase()
        let put = try await skiff.run(["store", "put", "/registry/pods/default/web", value] + dataDir)
        #expect(put.status == 1)
        #expect(put.stderr.contains(message), "\(put.stderr)")
        #expect(!put.stderr.contains("Usage"))
        let get = try await skiff.run(["store", "get", "/registry/pods/", "--prefix", "--keys-only"] + dataDir)
        #expect(get.stdout.isEmpty)
    }

    @Test func allocationKeysTakeAllocationRecords() async throws {
        try await createDatabase()
        let record = #"{"service":{"namespace":"default","name":"web","uid":"u1"},"allocatedAt":"2024-01-01T00:00:00Z"}"#
        let put = try await skiff.run(["store", "put", "/registry/allocations/serviceips/10.43.0.5", record] + dataDir)
        #expect(put.status == 0, "\(put.stderr)")
        let bad = try await skiff.run(["store", "put", "/registry/allocations/nodeports/30080", "{}"] + dataDir)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("refusing to write /registry/allocations/nodeports/30080"), "\(bad.stderr)")
        // The server's own `kubernetes` Service holds 10.43.0.1.
        let keys = try await skiff.run(["store", "get", "/registry/allocations/", "--prefix", "--keys-only"] + dataDir)
        #expect(keys.stdout == "/registry/allocations/serviceips/10.43.0.1\n/registry/allocations/serviceips/10.43.0.5\n")
    }

    @Test func snapshotSaveAndRestore() async throws {
        try await createDatabase()
        try await skiff.run(["store", "put", "/registry/configmaps/default/settings", configMap] + dataDir)
        let snapshot = scratch.path + "/backup.db"
        let save = try await skiff.run(["store", "snapshot", "save", snapshot] + dataDir)
        #expect(save.status == 0 && save.stdout.hasPrefix("Snapshot saved at \(snapshot)"), "\(save.stderr)")

        try await skiff.run(["store", "del", "/registry/configmaps/", "--prefix"] + dataDir)
        let restore = try await skiff.run(["store", "snapshot", "restore", snapshot] + dataDir)
        #expect(restore.status == 0, "\(restore.stderr)")
        let keys = try await skiff.run(["store", "get", "/registry/configmaps/", "--prefix", "--keys-only"] + dataDir)
        #expect(keys.stdout == "/registry/configmaps/default/settings\n")

        let notASnapshot = scratch.path + "/junk.db"
        FileManager.default.createFile(atPath: notASnapshot, contents: Data("not sqlite".utf8))
        let bad = try await skiff.run(["store", "snapshot", "restore", notASnapshot] + dataDir)
        #expect(bad.status == 1)
        let still = try await skiff.run(["store", "get", "/registry/configmaps/", "--prefix", "--keys-only"] + dataDir)
        #expect(still.stdout == "/registry/configmaps/default/settings\n", "a bad snapshot must leave the store as it was")
    }

    @Test func healthReportsAGoodAndACorruptDatabase() async throws {
        try await createDatabase()
        let healthy = try await skiff.run(["store", "endpoint", "health"] + dataDir)
        #expect(healthy.status == 0 && healthy.stdout.contains("is healthy"), "\(healthy.stderr)")

        let garbage = scratch.path + "/garbage.db"
        FileManager.default.createFile(atPath: garbage, contents: Data(repeating: 0x41, count: 8192))
        let corrupt = try await skiff.run(["store", "endpoint", "health", "--db", garbage])
        #expect(corrupt.status == 1 && corrupt.stdout.contains("is unhealthy"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: garbage)) == Data(repeating: 0x41, count: 8192),
                "a corrupt file is reported, never rewritten")
    }
}

extension StoreCommandTests {
    @Test func refusesObjectsThatFailValidation() async throws {
        try await createDatabase()
        let deployment = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":-1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"other"}},"spec":{"containers":[{"name":"web"}]}}}}"#
        let put = try await skiff.run(["store", "put", "/registry/deployments/default/web", deployment, "--data-dir", scratch.path])
        #expect(put.status == 1)
        #expect(put.stderr.contains(#"Deployment.apps "web" is invalid: ["#), "\(put.stderr)")
        #expect(put.stderr.contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0"))
        #expect(put.stderr.contains("spec.template.spec.containers[0].image: Required value"))
        #expect(put.stderr.contains("`selector` does not match template `labels`"))
    }
}
