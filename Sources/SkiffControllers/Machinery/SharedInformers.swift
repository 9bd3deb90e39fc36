import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// One informer per kind for all controllers of a process, as client-go's
/// SharedInformerFactory: controllers ask for the kinds they watch and add their
/// handlers while they are built, then ``run()`` lists and watches each kind
/// once for all of them.
public final class SharedInformers: Sendable {
    private struct Entry: Sendable {
        let informer: any Sendable
        let run: @Sendable () async -> Void
        let hasSynced: @Sendable () -> Bool
    }

    private let client: APIClient
    private let logger: Logger
    private let entries = Mutex([ObjectIdentifier: Entry]())

    public init(client: APIClient, logger: Logger = Logger(label: "skiff.informers")) {
        self.client = client
        self.logger = logger
    }

    /// The informer of kind `T` (all namespaces), made on first use.
    public func informer<T: APIObject>(_ type: T.Type) -> Informer<T> {
        entries.withLock { entries in
            if let entry = entries[ObjectIdentifier(T.self)] { return entry.informer as! Informer<T> }
            let informer = Informer<T>(client: client, logger: logger)
            entries[ObjectIdentifier(T.self)] = Entry(
                informer: informer, run: { await informer.run() }, hasSynced: { informer.hasSynced })
            return informer
        }
    }

    /// Runs every informer asked for so far until the task is cancelled.
    public func run() async {
        let runs = entries.withLock { $0.values.map(\.run) }
        await withTaskGroup(of: Void.self) { group in
            for run in runs { group.addTask { await run() } }
        }
    }

    /// Returns once every informer has applied its first list, or when the task
    /// is cancelled (a server stopped before its caches synced must still stop,
    /// and Informer's own wait does not end on cancellation).
    public func waitForSync() async {
        let synced = entries.withLock { $0.values.map(\.hasSynced) }
        while !Task.isCancelled && !synced.allSatisfy({ $0() }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
