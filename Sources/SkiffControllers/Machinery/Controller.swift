import Logging
import SkiffClient

/// A controller: informer handlers put keys (`namespace/name`) of objects that
/// may need work into ``queue``, and workers call ``sync(_:)`` for each key. A
/// sync reads the informers' caches, compares desired with observed state and
/// acts through the API; it must be safe to call any number of times.
public protocol Controller: Sendable {
    /// Used in logs: "replicaset", "deployment".
    var name: String { get }
    var queue: WorkQueue<String> { get }
    /// Brings one object's world in line with its spec. A thrown error retries
    /// the key after its backoff; a return forgets its failures.
    func sync(_ key: String) async throws
}

extension Controller {
    /// Runs `workers` workers until the task is cancelled, then shuts the queue down.
    public func runWorkers(_ workers: Int, logger: Logger) async {
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, workers) {
                    group.addTask { await self.work(logger: logger) }
                }
            }
        } onCancel: {
            queue.shutDown()
        }
    }

    private func work(logger: Logger) async {
        while let key = await queue.next() {
            do {
                try await sync(key)
                queue.forget(key)
            } catch {
                // A conflict only means the cache was behind; the retry reads it again.
                let level: Logger.Level = (error as? ClientError)?.isConflict == true ? .debug : .info
                logger.log(
                    level: level, "sync failed, retrying",
                    metadata: ["controller": "\(name)", "key": "\(key)", "retries": "\(queue.retries(key))", "error": "\(error)"])
                queue.addRateLimited(key)
            }
            queue.done(key)
        }
    }
}

/// `namespace/name` keys, as client-go's MetaNamespaceKeyFunc writes them.
public enum ObjectKey {
    public static func make(namespace: String?, name: String?) -> String {
        guard let namespace, !namespace.isEmpty else { return name ?? "" }
        return namespace + "/" + (name ?? "")
    }

    /// The namespace (empty for cluster-scoped keys) and name of a key.
    public static func split(_ key: String) -> (namespace: String, name: String) {
        guard let slash = key.firstIndex(of: "/") else { return ("", key) }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }
}
