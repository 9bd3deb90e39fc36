import Logging
import SkiffAPI
import SkiffStore

/// One pool of numbered values — the cluster IPs of one service CIDR, or the node
/// ports — in which every allocated value is a store key `<prefix><value>` holding an
/// ``AllocationRecord``. Taking a value is the store's create-if-absent, so API
/// servers sharing one store never hand out the same value twice, and nothing is
/// held in memory that a crash could lose.
struct AllocationPool: Sendable {
    let store: any Store
    /// ``AllocationKeys/serviceIPs`` or ``AllocationKeys/nodePorts``.
    let prefix: String
    /// Values are offsets `0..<size`.
    let size: Int
    /// Dynamic allocations prefer offsets from here up, leaving the ones below to
    /// values users ask for (upstream's static band).
    let staticBand: Int
    /// The key's last segment for an offset, and back.
    let name: @Sendable (Int) -> String
    let offset: @Sendable (String) -> Int?

    static let logger = Logger(label: "skiff.apiserver.allocation")

    /// The cluster IPs of one service CIDR. Both families' pools share
    /// ``AllocationKeys/serviceIPs`` and name keys by the canonical address, as
    /// upstream names IPAddress objects: an IPv4 and an IPv6 key never collide, a
    /// store written by a single-stack IPv4 server keeps its keys, and each pool
    /// reads only its own family's keys back (``ServiceCIDR/offset(of:)``).
    static func serviceIPs(_ cidr: ServiceCIDR, store: any Store) -> AllocationPool {
        AllocationPool(
            store: store, prefix: AllocationKeys.serviceIPs, size: cidr.usableCount, staticBand: cidr.staticBandSize,
            name: { cidr.address(at: $0).description },
            offset: { ServiceIP($0).flatMap(cidr.offset(of:)) })
    }

    static func nodePorts(_ range: NodePortRange, store: any Store) -> AllocationPool {
        let base = range.ports.lowerBound
        return AllocationPool(
            store: store, prefix: AllocationKeys.nodePorts, size: range.size, staticBand: range.staticBandSize,
            name: { String(base + $0) },
            offset: { Int($0).flatMap { range.ports.contains($0) ? $0 - base : nil } })
    }

    func key(_ offset: Int) -> String { prefix + name(offset) }

    /// Takes `offset` for `record`; false when it is held already. A dry run only looks.
    func claim(_ offset: Int, for record: AllocationRecord, dryRun: Bool) async throws(APIError) -> Bool {
        let key = key(offset)
        do {
            if dryRun { return try await store.get(key).kv == nil }
            _ = try await store.create(key, value: record.encoded())
            return true
        } catch let error as StoreError where error.code == .alreadyExists {
            return false
        } catch {
            throw .internalError("unable to allocate \(name(offset)): \(error)")
        }
    }

    /// Takes some free value, nil when the pool is full: a random one of the dynamic
    /// band first (one write in the common case), then, if it was taken, a scan
    /// forward from it over what the store holds, the static band last — upstream's
    /// random-scan-with-offset strategy, with the store deciding each race.
    func claimNext(for record: AllocationRecord, dryRun: Bool) async throws(APIError) -> Int? {
        let dynamicCount = size - staticBand
        let dynamicStart = dynamicCount > 0 ? Int.random(in: 0..<dynamicCount) : 0
        if dynamicCount > 0, try await claim(staticBand + dynamicStart, for: record, dryRun: dryRun) {
            return staticBand + dynamicStart
        }
        let taken = try await takenOffsets()
        for step in 0..<dynamicCount {
            let candidate = staticBand + (dynamicStart + step) % dynamicCount
            if !taken.contains(candidate), try await claim(candidate, for: record, dryRun: dryRun) { return candidate }
        }
        let staticStart = staticBand > 0 ? Int.random(in: 0..<staticBand) : 0
        for step in 0..<staticBand {
            let candidate = (staticStart + step) % staticBand
            if !taken.contains(candidate), try await claim(candidate, for: record, dryRun: dryRun) { return candidate }
        }
        return nil
    }

    /// The offsets the store holds keys for.
    func takenOffsets() async throws(APIError) -> Set<Int> {
        do {
            let kvs = try await store.range(.prefix(prefix)).kvs
            return Set(kvs.compactMap { offset(String($0.key.dropFirst(prefix.count))) })
        } catch {
            throw .internalError("unable to list allocations under \(prefix): \(error)")
        }
    }

    /// Frees `offset` if `owner` holds it. Never throws: a value left behind is one
    /// repair frees, and a record naming someone else is theirs to keep.
    @discardableResult
    func release(_ offset: Int, from owner: AllocationRecord.Owner) async -> Bool {
        let key = key(offset)
        do {
            guard let kv = try await store.get(key).kv else { return false }
            guard let record = try? AllocationRecord.decode(kv.value), record.service.uid == owner.uid else {
                Self.logger.warning(
                    "not releasing an allocation held by another service",
                    metadata: ["key": "\(key)", "service": "\(owner)"])
                return false
            }
            _ = try await store.delete(key, expectedModRevision: kv.modRevision)
            return true
        } catch {
            Self.logger.warning(
                "unable to release an allocation; repair will", metadata: ["key": "\(key)", "error": "\(error)"])
            return false
        }
    }
}
