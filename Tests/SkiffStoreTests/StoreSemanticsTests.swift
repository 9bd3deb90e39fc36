import Foundation
import Testing
@testable import SkiffStore

/// Create/get/update/delete semantics and errors, run against every backend.
@Suite struct StoreSemanticsTests {
    @Test(arguments: Backend.allCases)
    func emptyStoreStartsAtRevisionOne(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.currentRevision == 1)
            #expect(try await store.compactRevision == 0)
            let result = try await store.range(.all)
            #expect(result.kvs.isEmpty && !result.more && result.revision == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func createGetUpdateDelete(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let created = try await store.create("/a", value: bytes("v1"))
            #expect(created == 2)
            let got = try await store.get("/a")
            #expect(got.revision == 2)
            #expect(got.kv == KeyValue(key: "/a", value: bytes("v1"), createRevision: 2, modRevision: 2))

            await expectStoreError(.alreadyExists) { try await store.create("/a", value: bytes("again")) }

            let updated = try await store.update("/a", value: bytes("v2"), expectedModRevision: 2)
            #expect(updated == 3)
            #expect(try await store.get("/a").kv == KeyValue(key: "/a", value: bytes("v2"), createRevision: 2, modRevision: 3))

            let conflict = await expectStoreError(.conflict) {
                try await store.update("/a", value: bytes("stale"), expectedModRevision: 2)
            }
            #expect(conflict?.current?.modRevision == 3)
            #expect(text(conflict?.current?.value) == "v2")
            await expectStoreError(.notFound) { try await store.update("/missing", value: bytes("x"), expectedModRevision: 1) }

            await expectStoreError(.conflict) { try await store.delete("/a", expectedModRevision: 2) }
            let deleted = try await store.delete("/a", expectedModRevision: 3)
            #expect(deleted.revision == 4)
            #expect(deleted.deleted == KeyValue(key: "/a", value: bytes("v2"), createRevision: 2, modRevision: 3))
            let gone = try await store.get("/a")
            #expect(gone.kv == nil && gone.revision == 4)
            await expectStoreError(.notFound) { try await store.delete("/a") }
            await expectStoreError(.notFound) { try await store.update("/a", value: bytes("x"), expectedModRevision: 3) }

            // Failed writes take no revision.
            #expect(try await store.currentRevision == 4)

            // A new life of the key gets a new create revision.
            #expect(try await store.create("/a", value: bytes("v3")) == 5)
            #expect(try await store.get("/a").kv?.createRevision == 5)

            // History: the key as it was at each revision.
            #expect(text(try await store.get("/a", revision: 2).kv?.value) == "v1")
            #expect(text(try await store.get("/a", revision: 3).kv?.value) == "v2")
            #expect(try await store.get("/a", revision: 4).kv == nil)
            #expect(try await store.get("/a", revision: 1).kv == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func putCreatesOrReplaces(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let first = try await store.put("/p", value: bytes("1"))
            #expect(first.revision == 2 && first.previous == nil)
            let second = try await store.put("/p", value: bytes("2"))
            #expect(second.revision == 3)
            #expect(second.previous == KeyValue(key: "/p", value: bytes("1"), createRevision: 2, modRevision: 2))
            #expect(try await store.get("/p").kv?.createRevision == 2)
            _ = try await store.delete("/p")
            let third = try await store.put("/p", value: bytes("3"))
            #expect(third.previous == nil)
            #expect(try await store.get("/p").kv?.createRevision == third.revision)
        }
    }

    @Test(arguments: Backend.allCases)
    func futureRevisionIsRefused(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            _ = try await store.create("/a", value: bytes("v"))
            await expectStoreError(.futureRevision) { try await store.get("/a", revision: 3) }
            await expectStoreError(.futureRevision) { try await store.range(.all, revision: 3, limit: nil) }
            await expectStoreError(.futureRevision) { try await store.count(.all, revision: 99) }
            await expectStoreError(.futureRevision) { try await store.compact(3) }
            #expect(try await store.get("/a", revision: 2).kv != nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func badKeysAndValuesWriteNothing(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            await expectStoreError(.invalidArgument) { try await store.create("", value: bytes("v")) }
            await expectStoreError(.invalidArgument) { try await store.create("/a\0b", value: bytes("v")) }
            await expectStoreError(.invalidArgument) { try await store.get("") }

            let tooBig = Data(repeating: 7, count: StoreLimits.maxValueSize + 1)
            let error = await expectStoreError(.requestTooLarge) { try await store.create("/big", value: tooBig) }
            #expect(error?.message.contains("/big") == true)
            await expectStoreError(.requestTooLarge) { try await store.put("/big", value: tooBig) }
            #expect(try await store.currentRevision == 1)
            #expect(try await store.get("/big").kv == nil)

            let largest = Data(repeating: 7, count: StoreLimits.maxValueSize)
            _ = try await store.create("/big", value: largest)
            #expect(try await store.get("/big").kv?.value == largest)

            _ = try await store.create("/empty", value: Data())
            #expect(try await store.get("/empty").kv?.value == Data())
        }
    }

    @Test(arguments: Backend.allCases)
    func operationsAfterCloseFail(_ backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await backend.open(in: directory)
        _ = try await store.create("/a", value: bytes("v"))
        await store.close()
        await expectStoreError(.closed) { try await store.get("/a") }
        await expectStoreError(.closed) { try await store.create("/b", value: bytes("v")) }
        await expectStoreError(.closed) { try await store.watch(.all, fromRevision: 1) }
        await store.close()
    }
}
