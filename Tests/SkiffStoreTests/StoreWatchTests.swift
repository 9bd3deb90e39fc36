import Foundation
import Testing
@testable import SkiffStore

/// Watch semantics, run against every backend.
@Suite struct StoreWatchTests {
    /// Random writes under a prefix, one revision each; returns the last revision.
    static func churn(_ store: any Store, prefix: String, count: Int, seed: Int) async throws -> Int64 {
        var live: [String: Int64] = [:]
        var last: Int64 = 0
        for n in 0..<count {
            let key = "\(prefix)\((n * 7 + seed) % 40)"
            if let revision = live[key] {
                if n % 3 == 0 {
                    last = try await store.delete(key, expectedModRevision: revision).revision
                    live[key] = nil
                } else {
                    last = try await store.update(key, value: bytes("\(n)"), expectedModRevision: revision)
                    live[key] = last
                }
            } else {
                last = try await store.create(key, value: bytes("\(n)"))
                live[key] = last
            }
        }
        return last
    }

    /// A watch from an old revision replays history (several pages) and then goes
    /// live while writes continue: every revision exactly once, in order, and the
    /// events rebuild the same state as a range read.
    @Test(arguments: Backend.allCases)
    func watchFromOldRevisionWhileWriting(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let before = try await Self.churn(store, prefix: "/w/", count: 1200, seed: 0)
            let stream = try await store.watch(.prefix("/w/"), fromRevision: 2)
            let middle = try await store.watch(.prefix("/w/"), fromRevision: 700)
            let writer = Task { try await Self.churn(store, prefix: "/w/more/", count: 800, seed: 3) }
            let last = try await writer.value
            #expect(last == before + 800)

            let events = try await collect(stream, through: last)
            #expect(events.map(\.revision) == Array(2...last))
            let fromMiddle = try await collect(middle, through: last)
            #expect(fromMiddle.map(\.revision) == Array(700...last))

            var state: [String: Data] = [:]
            for event in events {
                switch event.type {
                case .put:
                    #expect(event.isCreate == (state[event.kv.key] == nil))
                    #expect(event.prevKV?.value == state[event.kv.key])
                    state[event.kv.key] = event.kv.value
                case .delete:
                    #expect(event.kv.value == state[event.kv.key])
                    #expect(event.prevKV?.value == state[event.kv.key])
                    state[event.kv.key] = nil
                }
            }
            let kvs = try await store.range(.prefix("/w/"), revision: last, limit: nil).kvs
            #expect(state == Dictionary(uniqueKeysWithValues: kvs.map { ($0.key, $0.value) }))
        }
    }

    @Test(arguments: Backend.allCases)
    func eventsCarryValuesAndPrevKV(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let stream = try await store.watch(.prefix("/e/"), fromRevision: 2)
            let created = try await store.create("/e/a", value: bytes("one"))
            _ = try await store.create("/other", value: bytes("not watched"))
            let updated = try await store.update("/e/a", value: bytes("two"), expectedModRevision: created)
            let deleted = try await store.delete("/e/a").revision

            let events = try await collect(stream, through: deleted)
            #expect(events.count == 3)
            let (create, update, delete) = (events[0], events[1], events[2])
            #expect(create.type == .put && create.isCreate && create.prevKV == nil)
            #expect(create.kv == KeyValue(key: "/e/a", value: bytes("one"), createRevision: created, modRevision: created))
            #expect(update.type == .put && !update.isCreate)
            #expect(update.kv == KeyValue(key: "/e/a", value: bytes("two"), createRevision: created, modRevision: updated))
            #expect(update.prevKV == create.kv)
            #expect(delete.type == .delete && delete.revision == deleted)
            #expect(delete.kv == KeyValue(key: "/e/a", value: bytes("two"), createRevision: created, modRevision: deleted))
            #expect(delete.prevKV == update.kv)
        }
    }

    @Test(arguments: Backend.allCases)
    func watchOfOneKeyIgnoresOthers(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let stream = try await store.watch(.key("/k"), fromRevision: 1)
            _ = try await store.create("/k/child", value: bytes("x"))
            _ = try await store.create("/j", value: bytes("x"))
            let revision = try await store.create("/k", value: bytes("x"))
            let events = try await collect(stream, through: revision)
            #expect(events.map(\.kv.key) == ["/k"])
        }
    }

    @Test(arguments: Backend.allCases)
    func watchFromFutureRevisionWaits(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let from = try await store.currentRevision + 5
            let stream = try await store.watch(.all, fromRevision: from)
            var last: Int64 = 0
            for n in 0..<8 {
                last = try await store.put("/f", value: bytes("\(n)")).revision
            }
            let events = try await collect(stream, through: last)
            #expect(events.map(\.revision) == Array(from...last))
        }
    }

    @Test(arguments: Backend.allCases)
    func slowWatcherIsEndedNotBuffered(_ backend: Backend) async throws {
        try await withStore(backend, backlog: 50) { store in
            let stream = try await store.watch(.all, fromRevision: 2)
            for n in 0..<120 {
                _ = try await store.create("/slow/\(n)", value: bytes("x"))
            }
            let error = await expectStoreError(.watcherTooSlow) {
                // The consumer may still get events delivered before the overflow.
                var count = 0
                for try await _ in stream { count += 1 }
                return count
            }
            #expect(error?.message.contains("50") == true)
        }
    }

    @Test(arguments: Backend.allCases)
    func cancellingTheConsumerUnsubscribes(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let stream = try await store.watch(.all, fromRevision: 2)
            let consumer = Task {
                var count = 0
                for try await _ in stream { count += 1 }
                return count
            }
            _ = try await store.create("/c", value: bytes("x"))
            #expect(try await eventually { watcherCount(store) == 1 })
            consumer.cancel()
            #expect(try await consumer.value >= 0)
            #expect(try await eventually { watcherCount(store) == 0 })

            // A stream dropped without being iterated unsubscribes too.
            do {
                _ = try await store.watch(.all, fromRevision: 1)
            }
            #expect(try await eventually { watcherCount(store) == 0 })
        }
    }

    @Test(arguments: Backend.allCases)
    func closingTheStoreEndsWatchers(_ backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await backend.open(in: directory)
        let stream = try await store.watch(.all, fromRevision: 2)
        let consumer = Task {
            for try await _ in stream {}
        }
        _ = try await store.create("/a", value: bytes("x"))
        await store.close()
        await expectStoreError(.closed) { try await consumer.value }
    }
}

/// The number of live subscriptions of a store.
func watcherCount(_ store: any Store) -> Int {
    switch store {
    case let store as MemoryStore: return store.watcherCount
    case let store as SQLiteStore: return store.watcherCount
    case let store as EtcdStore: return store.watcherCount
    default: return -1
    }
}
