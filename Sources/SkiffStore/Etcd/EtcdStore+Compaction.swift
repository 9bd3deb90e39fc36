import Foundation
import NIOConcurrencyHelpers

// Compaction on etcd, and where history starts.
//
// The protocol promises that after compact(c) the events from c on keep their
// previous versions. etcd reads an event's previous version at the revision
// before it, so Skiff's compact(c) compacts etcd at c - 1, and the store's
// compact revision is etcd's plus one. Reads and watches at etcd's compact
// revision itself are refused here, as the protocol has them refused.
//
// etcd has no call that returns its compact revision. Rather than keeping it in
// a key as the Kubernetes API server does (which costs a revision per
// compaction, so compacting would move the current revision and the state a
// read "now" returns), the store learns it from etcd: a read at a revision
// below it fails with "compacted", and a watch started below it is cancelled
// with the exact compact revision. So the answer is right also when another
// server or `etcdctl compact` compacted, and compaction takes no revision.

extension EtcdStore {
    /// The store's compact revision for etcd's: one more, or 0 before any.
    static func storeCompactRevision(etcd revision: Int64) -> Int64 {
        revision > 0 ? revision + 1 : 0
    }

    public var compactRevision: Int64 {
        get async throws {
            let known = etcdCompaction.withLock { $0 }
            // A read at the known revision succeeds unless etcd compacted further since.
            let request = EtcdRangeRequest(key: Self.probeKey, revision: max(known, 1), countOnly: true)
            do {
                _ = try await client.call(EtcdMethod.range, request, as: EtcdRangeResponse.self)
                return Self.storeCompactRevision(etcd: known)
            } catch let status as GRPCStatus where status.isCompacted {
                return Self.storeCompactRevision(etcd: try await learnCompaction(from: max(known, 1)))
            } catch {
                throw StoreError.etcd(error, "the compact revision")
            }
        }
    }

    public func compact(_ revision: Int64) async throws {
        let current = try await currentRevision
        guard revision <= current else { throw StoreError.futureRevision(requested: revision, current: current) }
        let target = revision - 1
        guard target >= 1, target > etcdCompaction.withLock({ $0 }) else { return }
        do {
            _ = try await client.call(
                EtcdMethod.compact, EtcdCompactionRequest(revision: target), as: EtcdCompactionResponse.self)
        } catch let status as GRPCStatus where status.isCompacted {
            // Someone compacted etcd this far already: nothing to do.
        } catch {
            throw StoreError.etcd(error, "compact at \(revision)")
        }
        recordCompaction(target)
        logger.debug("compacted etcd", metadata: ["revision": "\(revision)", "etcd": "\(target)"])
    }

    /// Reads with `request` now (nil) or at `revision`, which must not be
    /// compacted in the store's terms. A past read is one read-only transaction
    /// that also reads at `revision - 1`: etcd fails it as compacted exactly when
    /// the store's compact revision is above `revision`.
    func read(_ request: EtcdRangeRequest, at revision: Int64?, _ subject: String) async throws -> EtcdRangeResponse {
        guard let revision else {
            return try await call(EtcdMethod.range, request, as: EtcdRangeResponse.self, subject)
        }
        let at = max(revision, 1)
        let known = etcdCompaction.withLock { $0 }
        if at <= known {
            throw StoreError.compacted(requested: revision, compactRevision: Self.storeCompactRevision(etcd: known))
        }
        var request = request
        request.revision = at
        do {
            if at == 1 { return try await client.call(EtcdMethod.range, request, as: EtcdRangeResponse.self) }
            let guardRead = EtcdRangeRequest(key: Self.probeKey, revision: at - 1, countOnly: true)
            let txn = EtcdTxnRequest(success: [.range(guardRead), .range(request)])
            let response = try await client.call(EtcdMethod.txn, txn, as: EtcdTxnResponse.self)
            guard response.responses.count == 2, case .range(let answer) = response.responses[1] else {
                throw StoreError(.storage, "etcd's answer to a read of \(subject) at \(at) holds no read")
            }
            return answer
        } catch let status as GRPCStatus where status.isCompacted {
            let learned = try await learnCompaction(from: max(at - 1, 1))
            throw StoreError.compacted(requested: revision, compactRevision: Self.storeCompactRevision(etcd: learned))
        } catch let status as GRPCStatus where status.isFutureRevision {
            throw StoreError.futureRevision(requested: revision, current: try await currentRevision)
        } catch {
            throw StoreError.etcd(error, subject)
        }
    }

    /// Throws ``StoreError/Code/compacted`` unless events from `revision` on can
    /// still be watched with their previous versions.
    func checkWatchable(from revision: Int64) async throws {
        let known = etcdCompaction.withLock { $0 }
        if revision <= known {
            throw StoreError.compacted(requested: revision, compactRevision: Self.storeCompactRevision(etcd: known))
        }
        guard revision >= 2 else { return }
        do {
            let request = EtcdRangeRequest(key: Self.probeKey, revision: revision - 1, countOnly: true)
            _ = try await client.call(EtcdMethod.range, request, as: EtcdRangeResponse.self)
        } catch let status as GRPCStatus where status.isCompacted {
            let learned = try await learnCompaction(from: revision - 1)
            throw StoreError.compacted(requested: revision, compactRevision: Self.storeCompactRevision(etcd: learned))
        } catch let status as GRPCStatus where status.isFutureRevision {
            // A watch from the future waits for it.
        } catch {
            throw StoreError.etcd(error, "a watch from \(revision)")
        }
    }

    /// etcd's exact compact revision, known to be above `start - 1`: a watch from
    /// `start` is cancelled with it.
    func learnCompaction(from start: Int64) async throws -> Int64 {
        let found = NIOLockedValueBox<Int64>(0)
        do {
            let request = EtcdWatchCreateRequest(key: Self.probeKey, startRevision: start)
            try await client.watch(request, timeout: client.requestTimeout) { response in
                if response.compactRevision > 0 {
                    found.withLockedValue { $0 = response.compactRevision }
                    return false
                }
                return !response.canceled
            }
        } catch {
            throw StoreError.etcd(error, "the compact revision")
        }
        let revision = found.withLockedValue { $0 }
        guard revision > 0 else {
            throw StoreError(.storage, "etcd refused a read as compacted but did not say where its history starts")
        }
        return recordCompaction(revision)
    }

    /// Notes that etcd compacted at least at `revision`; returns the newest known.
    @discardableResult
    func recordCompaction(_ revision: Int64) -> Int64 {
        etcdCompaction.withLock { known in
            known = max(known, revision)
            return known
        }
    }
}
