import Logging
import SkiffAPI
import SkiffClient
import Synchronization
import Testing

@Suite("Watch and Informer", .serialized, .timeLimit(.minutes(2)))
struct WatchInformerTests {
    @Test func watchDeliversTypedEventsInOrder() async throws {
        try await TestServer.with { client, _ in
            let start = try await client.list(ConfigMap.self, namespace: "default")
            let events = try await client.watch(
                ConfigMap.self, namespace: "default",
                options: ListOptions(resourceVersion: start.metadata.resourceVersion, allowWatchBookmarks: true))
            var map = ConfigMap()
            map.metadata.name = "w"
            map.metadata.namespace = "default"
            map = try await client.create(map)
            map.data = ["k": "v"]
            try await client.update(map)
            try await client.delete(ConfigMap.self, "w", namespace: "default")

            var seen: [String] = []
            for try await event in events {
                switch event {
                case .added(let object): seen.append("ADDED \(object.metadata.name ?? "")")
                case .modified(let object): seen.append("MODIFIED \(object.data?["k"] ?? "")")
                case .deleted(let object): seen.append("DELETED \(object.metadata.name ?? "")")
                case .bookmark, .error: continue
                }
                if seen.count == 3 { break }
            }
            #expect(seen == ["ADDED w", "MODIFIED v", "DELETED w"])
        }
    }

    @Test func watchFromACompactedRevisionIsGone() async throws {
        _ = try await TestServer.with { client, _ in
            await #expect {
                let events = try await client.watch(ConfigMap.self, options: ListOptions(resourceVersion: "1"))
                for try await event in events {
                    if case .error(let error) = event { throw error }
                }
            } throws: { error in
                (error as? ClientError)?.isGone == true
            }
        }
    }

    @Test func informerSyncsThenFollowsChanges() async throws {
        try await TestServer.with { client, _ in
            for name in ["a", "b"] {
                var map = ConfigMap()
                map.metadata.name = name
                map.metadata.namespace = "default"
                try await client.create(map)
            }
            let informer = Informer<ConfigMap>(client: client, namespace: "default")
            let log = Shared<[String]>([])
            informer.addHandler { event in
                let line: String
                switch event {
                case .added(let object): line = "added \(object.metadata.name!)"
                case .updated(_, let object): line = "updated \(object.metadata.name!)"
                case .deleted(let object): line = "deleted \(object.metadata.name!)"
                case .synced: line = "synced"
                }
                log.withLock { $0.append(line) }
            }
            let running = Task { await informer.run() }
            await informer.waitForSync()
            #expect(informer.hasSynced)
            #expect(Set(informer.list().compactMap(\.metadata.name)).isSuperset(of: ["a", "b"]))

            var a = try await client.get(ConfigMap.self, "a", namespace: "default")
            a.data = ["x": "1"]
            try await client.update(a)
            try await client.delete(ConfigMap.self, "b", namespace: "default")
            #expect(try await eventually { informer.get("b", namespace: "default") == nil && informer.get("a", namespace: "default")?.data == ["x": "1"] })
            running.cancel()
            await running.value
            let lines = log.withLock { $0 }
            #expect(lines.contains("synced"))
            #expect(lines.suffix(2) == ["updated a", "deleted b"])
        }
    }
}
