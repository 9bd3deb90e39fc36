import Foundation
import SkiffAPI
import SkiffStore

/// The registry of one kind: create, get, list, update, delete and the
/// subresources, with upstream's semantics, over a ``SkiffStore/Store``.
///
/// A value type with no state of its own: every write is a compare-and-swap on
/// the key's mod revision, so concurrent callers need no lock and no actor — the
/// store serialises them and the registry retries or reports a conflict as
/// upstream's GuaranteedUpdate does.
public struct ResourceRegistry<T: RegistryStrategy>: Sendable {
    public let store: any Store
    public let context: Registry.Context
    /// Field names a field selector may use for this kind.
    let selectableFields: Set<String>

    public init(store: any Store, context: Registry.Context = Registry.Context()) {
        self.store = store
        self.context = context
        self.selectableFields = Set(SelectableFields.of(T()).keys)
    }

    /// The REST resource name, e.g. "deployments".
    public var resource: String { T.resource }
    /// The API group, "" for core.
    public var group: String { T.group }

    /// Reads one object. A resourceVersion newer than the store's is a 504 as
    /// upstream's; any other value reads the latest state (which is never older).
    public func get(namespace: String?, name: String, resourceVersion: String? = nil) async throws(APIError) -> T {
        if let minimum = try Revisions.parse(resourceVersion), minimum > 0 {
            let current = try await attempt(name: name) { try await store.currentRevision }
            if minimum > current { throw .tooLargeResourceVersion(requested: minimum, current: current) }
        }
        guard let kv = try await read(namespace: namespace, name: name) else { throw notFound(name) }
        return try StoredObjects.decode(T.self, from: kv)
    }

    // MARK: - Shared plumbing

    /// `/registry/<resource>/<namespace>/<name>`.
    func key(namespace: String?, name: String) -> String {
        RegistryKey(type: T.self, namespace: namespace, name: name).description
    }

    /// The stored version of the object, nil when absent.
    func read(namespace: String?, name: String) async throws(APIError) -> KeyValue? {
        let key = key(namespace: namespace, name: name)
        return try await attempt(name: name) { try await store.get(key).kv }
    }

    func notFound(_ name: String) -> APIError {
        .notFound(resource: T.resource, group: T.group, name: name)
    }

    func conflict(_ name: String) -> APIError {
        .conflict(resource: T.resource, group: T.group, name: name)
    }

    /// Runs a store read, turning whatever it throws into an ``APIError``.
    func attempt<R>(_ operation: String = "get", name: String, _ body: () async throws -> R) async throws(APIError) -> R {
        do {
            return try await body()
        } catch {
            throw failure(error, during: operation, name: name)
        }
    }

    /// What clients see of a store failure during `operation` on this resource.
    func failure(_ error: any Error, during operation: String, name: String) -> APIError {
        .storeFailure(error, operation: operation, resource: T.resource, group: T.group, name: name)
    }

    /// The bytes to store for `object`, refused with a 413 when the store could not keep them.
    func encodeForStore(_ object: T) throws(APIError) -> Data {
        let data = try StoredObjects.encode(object)
        if data.count > StoreLimits.maxValueSize {
            throw .objectTooLarge(
                resource: T.resource, group: T.group, name: object.metadata.name ?? "", bytes: data.count)
        }
        return data
    }

    /// Upstream's GuaranteedUpdate retries without bound; a bound turns a livelock
    /// into a conflict the client retries.
    static var maxAttempts: Int { 32 }
}

/// resourceVersion strings.
enum Revisions {
    /// nil when unset; "0" is 0 (any state); anything but a non-negative integer is a 400.
    static func parse(_ text: String?) throws(APIError) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw .badRequest("invalid resource version: resourceVersion: Invalid value: \"\(text)\": invalid syntax")
        }
        return value
    }
}
