import Foundation
import Synchronization
import Testing
@testable import SkiffStore

/// The backends the shared suite runs against. etcd runs when Debian's
/// etcd-server is installed (see `EtcdAvailabilityTests` for the skip notice).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case sqlite
    case etcd

    static var allCases: [Backend] {
        EtcdTestServer.isInstalled ? [.memory, .sqlite, .etcd] : [.memory, .sqlite]
    }

    var testDescription: String { rawValue }

    /// Opens an empty store; for etcd, a fresh etcd that `directory.remove()` stops.
    func open(in directory: TemporaryDirectory, backlog: Int = StoreLimits.defaultWatchBacklog) async throws -> any Store {
        switch self {
        case .memory:
            return MemoryStore(watchBacklogLimit: backlog)
        case .sqlite:
            var configuration = SQLiteStore.Configuration()
            configuration.watchBacklogLimit = backlog
            configuration.pollInterval = .milliseconds(50)
            return try SQLiteStore(path: directory.path("store.db"), configuration: configuration)
        case .etcd:
            // Every case needs an etcd of its own: the suite asserts exact revisions.
            let server = try await EtcdTestServer.startInSlot()
            directory.onRemove {
                server.stop()
                Task { await EtcdTestServer.slots.release() }
            }
            var configuration = EtcdStore.Configuration(endpoints: [server.endpoint])
            configuration.watchBacklogLimit = backlog
            return try await EtcdStore.connect(configuration)
        }
    }
}

/// A fresh directory under the system's temporary directory, removed when the
/// value goes away.
final class TemporaryDirectory: Sendable {
    let url: URL
    private let cleanups = Mutex<[@Sendable () -> Void]>([])

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Runs `cleanup` when the directory is removed (a test etcd's stop).
    func onRemove(_ cleanup: @escaping @Sendable () -> Void) {
        cleanups.withLock { $0.append(cleanup) }
    }

    /// Removes the directory. Call it from a `defer` right after creating the
    /// value: that also keeps the value alive until the end of the scope.
    func remove() {
        let pending = cleanups.withLock { cleanups in
            defer { cleanups = [] }
            return cleanups
        }
        pending.forEach { $0() }
        try? FileManager.default.removeItem(at: url)
    }

    deinit {
        remove()
    }
}

/// Opens a store of `backend` in a temporary directory, runs `body`, closes it.
func withStore(
    _ backend: Backend, backlog: Int = StoreLimits.defaultWatchBacklog,
    _ body: (any Store) async throws -> Void
) async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let store = try await backend.open(in: directory, backlog: backlog)
    do {
        try await body(store)
    } catch {
        await store.close()
        throw error
    }
    await store.close()
}

func bytes(_ string: String) -> Data {
    Data(string.utf8)
}

func text(_ data: Data?) -> String? {
    data.map { String(decoding: $0, as: UTF8.self) }
}

/// Runs `body`, expecting it to fail with a ``StoreError`` of `code`; returns the error.
@discardableResult
func expectStoreError<T>(
    _ code: StoreError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async -> StoreError? {
    do {
        let result = try await body()
        Issue.record("expected \(code), got \(result)", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected StoreError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Collects events from `stream` until one has revision ≥ `revision`, failing
/// after `timeout` (a guard against hangs, not a timing assertion).
func collect(
    _ stream: WatchStream, through revision: Int64, timeout: Duration = .seconds(60)
) async throws -> [WatchEvent] {
    try await withThrowingTaskGroup(of: [WatchEvent]?.self) { group in
        group.addTask {
            var events: [WatchEvent] = []
            for try await event in stream {
                events.append(event)
                if event.revision >= revision { break }
            }
            return events
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let events = try await group.next()!, events.last.map({ $0.revision >= revision }) == true else {
            Issue.record("watch did not reach revision \(revision) within \(timeout)")
            return []
        }
        return events
    }
}

/// Polls `condition` until it holds, for at most `timeout`.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
