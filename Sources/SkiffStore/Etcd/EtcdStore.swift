import Foundation
import Logging
import Synchronization

/// A store on an etcd v3 cluster, over etcd's gRPC API: the distributed backend
/// several `skiff server`s can share.
///
/// Keys and values go to etcd unchanged, so `etcdctl get /registry --prefix
/// --keys-only` lists the cluster, and revisions are etcd's own. Writes that
/// compare are etcd transactions; each watch is an etcd watch on its own HTTP/2
/// stream.
///
/// Compaction keeps one more revision in etcd than ``compactRevision`` says:
/// compacting at `c` compacts etcd at `c - 1`, because etcd serves a watch
/// event's previous version from the revision before it, and the protocol
/// promises the events from `c` on with their previous versions (see
/// `EtcdStore+Compaction.swift`).
public final class EtcdStore: Store {
    /// Where etcd is and how to talk to it.
    public struct Configuration: Sendable {
        /// Tried in order; the first that answers is used until its connection breaks.
        public var endpoints: [EtcdEndpoint]
        /// For `https://` endpoints.
        public var tls = EtcdTLS()
        /// Events a watcher may leave unconsumed before it is ended with
        /// ``StoreError/Code/watcherTooSlow``.
        public var watchBacklogLimit = StoreLimits.defaultWatchBacklog
        /// How long one call may take before it fails with ``StoreError/Code/unavailable``.
        public var requestTimeout: Duration = .seconds(30)
        /// How long connecting to one endpoint may take.
        public var dialTimeout: Duration = .seconds(5)

        public init(endpoints: [EtcdEndpoint]) {
            self.endpoints = endpoints
        }
    }

    /// A key no Skiff key can equal (keys hold no NUL): reads of it learn
    /// revisions and compaction without touching data.
    static let probeKey: [UInt8] = [0]

    let client: EtcdClient
    let backlogLimit: Int
    let logger = Logger(label: "skiff.store.etcd")
    /// etcd's compact revision as far as this process knows; 0 for none. Only grows.
    let etcdCompaction = Mutex<Int64>(0)
    let watches = Mutex(EtcdWatchRegistry())

    /// Makes a store; it connects on first use. See ``connect(_:)``.
    /// - Throws: ``StoreError/Code/invalidArgument`` for no endpoints or bad TLS files.
    public init(configuration: Configuration) throws {
        guard !configuration.endpoints.isEmpty else { throw StoreError(.invalidArgument, "no etcd endpoint given") }
        let needsTLS = configuration.endpoints.contains { $0.isTLS }
        client = EtcdClient(
            endpoints: configuration.endpoints, sslContext: needsTLS ? try configuration.tls.makeContext() : nil,
            requestTimeout: configuration.requestTimeout, dialTimeout: configuration.dialTimeout, logger: logger)
        backlogLimit = configuration.watchBacklogLimit
    }

    /// Makes a store and connects it to the first healthy endpoint.
    /// - Throws: ``StoreError/Code/unavailable`` when no endpoint answers.
    public static func connect(_ configuration: Configuration) async throws -> EtcdStore {
        let store = try EtcdStore(configuration: configuration)
        do {
            _ = try await store.currentRevision
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// The endpoint the store is connected to now, if any.
    public var connectedEndpoint: EtcdEndpoint? { client.connectedEndpoint }

    public var currentRevision: Int64 {
        get async throws {
            let request = EtcdRangeRequest(key: Self.probeKey, countOnly: true)
            return try await call(EtcdMethod.range, request, as: EtcdRangeResponse.self, "the current revision").header.revision
        }
    }

    public func get(_ key: String, revision: Int64?) async throws -> GetResult {
        try WriteOp.validateKey(key)
        let request = EtcdRangeRequest(key: Array(key.utf8))
        let response = try await read(request, at: revision, key)
        return GetResult(kv: response.kvs.first.map(KeyValue.init), revision: revision ?? response.header.revision)
    }

    public func range(_ range: KeyRange, revision: Int64?, limit: Int?) async throws -> RangeResult {
        let (key, end) = range.etcdBounds
        let request = EtcdRangeRequest(key: key, rangeEnd: end, limit: Int64(max(limit ?? 0, 0)))
        let response = try await read(request, at: revision, "\(range)")
        return RangeResult(
            kvs: response.kvs.map(KeyValue.init), more: response.more, revision: revision ?? response.header.revision)
    }

    public func count(_ range: KeyRange, revision: Int64?) async throws -> Int {
        let (key, end) = range.etcdBounds
        let request = EtcdRangeRequest(key: key, rangeEnd: end, countOnly: true)
        return Int(try await read(request, at: revision, "\(range)").count)
    }

    public func create(_ key: String, value: Data) async throws -> Int64 {
        try WriteOp.create(key: key, value: value).validate()
        let bytes = Array(key.utf8)
        let txn = EtcdTxnRequest(
            compare: [EtcdCompare(key: bytes, result: .equal, target: .createRevision(0))],
            success: [.put(EtcdPutRequest(key: bytes, value: Array(value)))])
        let response = try await call(EtcdMethod.txn, txn, as: EtcdTxnResponse.self, "create \(key)")
        guard response.succeeded else { throw StoreError.alreadyExists(key) }
        return response.header.revision
    }

    public func update(_ key: String, value: Data, expectedModRevision: Int64) async throws -> Int64 {
        try WriteOp.update(key: key, value: value, expectedModRevision: expectedModRevision).validate()
        let bytes = Array(key.utf8)
        let txn = EtcdTxnRequest(
            compare: Self.exists(bytes, modRevision: expectedModRevision),
            success: [.put(EtcdPutRequest(key: bytes, value: Array(value)))],
            failure: [.range(EtcdRangeRequest(key: bytes))])
        let response = try await call(EtcdMethod.txn, txn, as: EtcdTxnResponse.self, "update \(key)")
        guard response.succeeded else { throw Self.refusal(response, key, expected: expectedModRevision) }
        return response.header.revision
    }

    public func put(_ key: String, value: Data) async throws -> PutResult {
        try WriteOp.put(key: key, value: value).validate()
        let request = EtcdPutRequest(key: Array(key.utf8), value: Array(value), prevKV: true)
        let response = try await call(EtcdMethod.put, request, as: EtcdPutResponse.self, "put \(key)")
        return PutResult(revision: response.header.revision, previous: response.prevKV.map(KeyValue.init))
    }

    public func delete(_ key: String, expectedModRevision: Int64?) async throws -> DeleteResult {
        try WriteOp.delete(key: key, expectedModRevision: expectedModRevision).validate()
        let bytes = Array(key.utf8)
        let delete = EtcdDeleteRangeRequest(key: bytes, prevKV: true)
        let deleted: EtcdDeleteRangeResponse
        if let expectedModRevision {
            let txn = EtcdTxnRequest(
                compare: Self.exists(bytes, modRevision: expectedModRevision),
                success: [.deleteRange(delete)],
                failure: [.range(EtcdRangeRequest(key: bytes))])
            let response = try await call(EtcdMethod.txn, txn, as: EtcdTxnResponse.self, "delete \(key)")
            guard response.succeeded else { throw Self.refusal(response, key, expected: expectedModRevision) }
            guard case .deleteRange(let answer)? = response.responses.first else {
                throw StoreError(.storage, "etcd's answer to the delete of \(key) holds no delete")
            }
            deleted = answer
        } else {
            deleted = try await call(EtcdMethod.deleteRange, delete, as: EtcdDeleteRangeResponse.self, "delete \(key)")
        }
        guard let previous = deleted.prevKVs.first else { throw StoreError.notFound(key) }
        return DeleteResult(revision: deleted.header.revision, deleted: KeyValue(previous))
    }

    public func close() async {
        let ended = watches.withLock { $0.close() }
        for watch in ended { watch.end(.closed) }
        await client.close()
    }

    // MARK: - Helpers

    /// The guard of a compare-and-swap: the key exists (an absent key's mod
    /// revision is 0 in etcd's compares) and has the expected mod revision.
    static func exists(_ key: [UInt8], modRevision: Int64) -> [EtcdCompare] {
        [
            EtcdCompare(key: key, result: .equal, target: .modRevision(modRevision)),
            EtcdCompare(key: key, result: .greater, target: .createRevision(0)),
        ]
    }

    /// Why a compare-and-swap failed, from the read in its failure branch.
    static func refusal(_ response: EtcdTxnResponse, _ key: String, expected: Int64) -> StoreError {
        guard case .range(let read)? = response.responses.first, let current = read.kvs.first else {
            return .notFound(key)
        }
        return .conflict(KeyValue(current), expected: expected)
    }

    /// One unary call, its failure translated to a ``StoreError``.
    func call<Response: ProtoDecodable>(
        _ method: String, _ request: some ProtoEncodable, as type: Response.Type, _ subject: String
    ) async throws -> Response {
        do {
            return try await client.call(method, request, as: type)
        } catch {
            throw StoreError.etcd(error, subject, write: method != EtcdMethod.range)
        }
    }
}

extension KeyValue {
    init(_ kv: EtcdKeyValue) {
        self.init(
            key: String(decoding: kv.key, as: UTF8.self), value: Data(kv.value), createRevision: kv.createRevision,
            modRevision: kv.modRevision)
    }
}
