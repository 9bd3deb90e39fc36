import Foundation
import Testing
@testable import SkiffStore

/// What only the etcd backend has: other clients of the same etcd, endpoints,
/// and a connection that can break. The shared suites cover the protocol.
@Suite(.enabled(if: EtcdTestServer.isInstalled, "\(EtcdTestServer.notInstalled)"), .timeLimit(.minutes(3)))
struct EtcdStoreTests {
    static func store(_ endpoints: [EtcdEndpoint]) async throws -> EtcdStore {
        var configuration = EtcdStore.Configuration(endpoints: endpoints)
        configuration.requestTimeout = .seconds(10)
        configuration.dialTimeout = .seconds(2)
        return try await EtcdStore.connect(configuration)
    }

    /// Runs `body` with a fresh etcd, stopped afterwards whatever happens.
    static func withEtcd(_ body: (EtcdTestServer) async throws -> Void) async throws {
        let server = try await EtcdTestServer.startInSlot()
        do {
            try await body(server)
        } catch {
            server.stop()
            await EtcdTestServer.slots.release()
            throw error
        }
        server.stop()
        await EtcdTestServer.slots.release()
    }

    /// Another server compacting the shared etcd: this store learns where history
    /// starts from etcd itself, and refuses older reads and watches alike.
    @Test func compactionByAnotherClientIsLearned() async throws {
        try await Self.withEtcd { server in
            let one = try await Self.store([server.endpoint])
            let other = try await Self.store([server.endpoint])
            for n in 0..<10 { _ = try await one.put("/c/\(n % 3)", value: bytes("\(n)")) }
            #expect(try await other.compactRevision == 0)
            try await one.compact(8)
            #expect(try await other.compactRevision == 8)
            let read = await expectStoreError(.compacted) { try await other.get("/c/0", revision: 7) }
            #expect(read?.compactRevision == 8)
            let watch = await expectStoreError(.compacted) { try await other.watch(.prefix("/c/"), fromRevision: 7) }
            #expect(watch?.compactRevision == 8)
            let events = try await collect(try await other.watch(.prefix("/c/"), fromRevision: 8), through: 11)
            #expect(events.map(\.revision) == [8, 9, 10, 11] && events.allSatisfy { $0.prevKV != nil })
            // Compacting below what another client compacted is not an error.
            try await other.compact(5)
            await one.close()
            await other.close()
        }
    }

    /// Keys and values are etcd's own: etcdctl sees what the store wrote.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/etcdctl"), "needs /usr/bin/etcdctl (etcd-client)"))
    func etcdctlSeesTheKeys() async throws {
        try await Self.withEtcd { server in
            let store = try await Self.store([server.endpoint])
            _ = try await store.create("/registry/configmaps/default/one", value: bytes(#"{"kind":"ConfigMap"}"#))
            _ = try await store.create("/registry/pods/default/web", value: bytes("{}"))
            let output = try etcdctl(server, ["get", "/registry/configmaps", "--prefix"])
            #expect(output == "/registry/configmaps/default/one\n{\"kind\":\"ConfigMap\"}\n")
            _ = try etcdctl(server, ["put", "/registry/pods/default/web", "changed"])
            #expect(text(try await store.get("/registry/pods/default/web").kv?.value) == "changed")
            await store.close()
        }
    }

    /// With several endpoints the store takes the first that answers.
    @Test func firstHealthyEndpointIsUsed() async throws {
        try await Self.withEtcd { server in
            let dead = EtcdEndpoint(isTLS: false, host: "127.0.0.1", port: try EtcdTestServer.freeLoopbackPort())
            let store = try await Self.store([dead, server.endpoint])
            #expect(store.connectedEndpoint == server.endpoint)
            _ = try await store.create("/a", value: bytes("x"))
            await store.close()
            let error = await expectStoreError(.unavailable) { try await Self.store([dead]) }
            #expect(error?.description.contains("\(dead)") == true)
        }
    }

    /// etcd going away fails the calls and ends the watches with a clear error;
    /// once it is back, the next call reconnects and nothing was lost.
    @Test func connectionLossFailsCallsThenReconnects() async throws {
        try await Self.withEtcd { server in
            let store = try await Self.store([server.endpoint])
            let revision = try await store.create("/kept", value: bytes("v"))
            let stream = try await store.watch(.all, fromRevision: revision + 1)
            let consumer = Task { for try await _ in stream {} }
            #expect(try await eventually { store.watcherCount == 1 })
            server.halt()
            let ended = await expectStoreError(.unavailable) { try await consumer.value }
            #expect(ended?.message.contains("etcd") == true)
            await expectStoreError(.unavailable) { try await store.get("/kept") }
            try await server.restart()
            #expect(text(try await store.get("/kept").kv?.value) == "v")
            #expect(try await store.currentRevision == revision)
            await store.close()
        }
    }

    private func etcdctl(_ server: EtcdTestServer, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/etcdctl")
        process.arguments = ["--endpoints", "\(server.endpoint)"] + arguments
        process.environment = ["ETCDCTL_API": "3"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "etcdctl \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }
}
