import Logging
import SkiffAPI
import SkiffStore

/// Upstream's cluster IP and node port repair controllers over the allocation keys:
/// Services are the truth, keys follow. One pass reads the Services and the keys
/// of every pool (both families' cluster IPs, node ports) at one revision, then
///
/// - deletes a key no Service holds once its record is older than
///   ``ServiceNetwork/leakGracePeriod`` (a create or update that crashed between
///   its allocation and its write, or a release a crash cut short);
/// - writes the key a Service holds without one (Services stored before allocation
///   keys existed, or restored from elsewhere), within the configured ranges;
/// - points a key whose record names another Service at the one holding it.
///
/// Every change is conditional on the key's revision as read, so a pass racing live
/// writes on this or another server changes nothing it did not see. Run one pass at
/// start (``Registries/repairAllocations()``) and then periodically.
public struct AllocationRepair: Sendable {
    /// What one pass changed, as `<key>` strings.
    public struct Report: Sendable, Hashable {
        /// Keys deleted: no Service held their value.
        public var released: [String] = []
        /// Keys written for values Services held without one.
        public var recorded: [String] = []
        /// Keys whose record was pointed at the Service holding the value.
        public var reassigned: [String] = []
        /// Keys whose value several Services hold at once; upstream asks to recreate them.
        public var conflicting: [String] = []

        public init() {}
    }

    let store: any Store
    let context: Registry.Context
    let logger: Logger

    public init(
        store: any Store, context: Registry.Context = Registry.Context(),
        logger: Logger = Logger(label: "skiff.apiserver.allocation")
    ) {
        self.store = store
        self.context = context
        self.logger = logger
    }

    /// One repair pass.
    @discardableResult
    public func repair() async throws(APIError) -> Report {
        let network = context.serviceNetwork
        let services = try await read(.prefix(RegistryKey.prefix(of: Service.self)), at: nil)
        let ipKeys = try await read(.prefix(AllocationKeys.serviceIPs), at: services.revision)
        let portKeys = try await read(.prefix(AllocationKeys.nodePorts), at: services.revision)
        var holders: [String: [AllocationRecord.Owner]] = [:]
        var allocatable: Set<String> = []
        for kv in services.kvs {
            guard let service = try? StoredObjects.decode(Service.self, from: kv) else { continue }
            for (key, inRange) in Self.heldKeys(of: service, network: network) {
                holders[key, default: []].append(AllocationRecord.Owner(of: service))
                if inRange { allocatable.insert(key) } else {
                    logger.warning("service holds a value outside the configured range; recreate it",
                                   metadata: ["service": "\(AllocationRecord.Owner(of: service))", "key": "\(key)"])
                }
            }
        }
        var report = Report()
        let existing = ipKeys.kvs + portKeys.kvs
        for kv in existing {
            await reconcile(kv, holders: holders[kv.key] ?? [], report: &report)
        }
        let present = Set(existing.map(\.key))
        for (key, owners) in holders.sorted(by: { $0.key < $1.key }) where !present.contains(key) && allocatable.contains(key) {
            await record(key, for: owners[0], report: &report)
        }
        return report
    }

    /// Repairs every `interval` until the task is cancelled; a failed pass is logged
    /// and the next one tries again.
    public func run(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                let report = try await repair()
                if report != Report() {
                    logger.info("repaired service allocations", metadata: [
                        "released": "\(report.released.count)", "recorded": "\(report.recorded.count)",
                        "reassigned": "\(report.reassigned.count)",
                    ])
                }
            } catch {
                logger.error("service allocation repair failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// The allocation keys a Service's spec holds, each with whether its value is in
    /// the configured range (its family's service CIDR, for a cluster IP).
    static func heldKeys(of service: Service, network: ServiceNetwork) -> [(String, Bool)] {
        var keys: [(String, Bool)] = []
        if service.needsClusterIP && !service.isHeadlessService {
            for ip in service.spec.clusterIPs ?? [] {
                guard let address = ServiceIP(ip) else { continue }
                let inRange = network.serviceCIDR(for: address.family)?.offset(of: address) != nil
                keys.append((AllocationKeys.serviceIPs + address.description, inRange))
            }
        }
        var ports = service.heldNodePorts
        if service.needsHealthCheckNodePort, let port = service.spec.healthCheckNodePort, port > 0 { ports.append(port) }
        for port in Set(ports).sorted() {
            keys.append((AllocationKeys.nodePorts + String(port), network.nodePorts.ports.contains(Int(port))))
        }
        return keys
    }

    private func reconcile(_ kv: KeyValue, holders: [AllocationRecord.Owner], report: inout Report) async {
        let record = try? AllocationRecord.decode(kv.value)
        guard let holder = holders.first else {
            let age = context.now().nanosecondsSinceEpoch - (record?.allocatedAt.nanosecondsSinceEpoch ?? 0)
            guard age >= context.serviceNetwork.leakGracePeriod.nanoseconds else { return }
            if await attempt({ _ = try await store.delete(kv.key, expectedModRevision: kv.modRevision) }, kv.key) {
                logger.warning("released a leaked allocation",
                               metadata: ["key": "\(kv.key)", "service": "\(record?.service.description ?? "?")"])
                report.released.append(kv.key)
            }
            return
        }
        if holders.count > 1 {
            logger.error("a value is allocated to several services; recreate all but one",
                         metadata: ["key": "\(kv.key)", "services": "\(holders.map(\.description))"])
            report.conflicting.append(kv.key)
        }
        if let record, holders.contains(where: { $0.uid == record.service.uid }) { return }
        let value = AllocationRecord(service: holder, allocatedAt: record?.allocatedAt ?? context.now()).encoded()
        if await attempt({ _ = try await store.update(kv.key, value: value, expectedModRevision: kv.modRevision) }, kv.key) {
            logger.warning("pointed an allocation at the service holding it",
                           metadata: ["key": "\(kv.key)", "service": "\(holder)"])
            report.reassigned.append(kv.key)
        }
    }

    private func record(_ key: String, for owner: AllocationRecord.Owner, report: inout Report) async {
        let value = AllocationRecord(service: owner, allocatedAt: context.now()).encoded()
        if await attempt({ _ = try await store.create(key, value: value) }, key) {
            logger.warning("recorded an allocation a service held without one", metadata: ["key": "\(key)", "service": "\(owner)"])
            report.recorded.append(key)
        }
    }

    private static let lostRace: Set<StoreError.Code> = [.conflict, .notFound, .alreadyExists]

    /// Runs a conditional write; false when it lost a race (the next pass looks again) or failed.
    private func attempt(_ write: () async throws -> Void, _ key: String) async -> Bool {
        do {
            try await write()
            return true
        } catch let error as StoreError where Self.lostRace.contains(error.code) {
            return false
        } catch {
            logger.error("unable to repair an allocation", metadata: ["key": "\(key)", "error": "\(error)"])
            return false
        }
    }

    private func read(_ range: KeyRange, at revision: Int64?) async throws(APIError) -> RangeResult {
        do {
            return try await store.range(range, revision: revision, limit: nil)
        } catch {
            throw .storeFailure(error, operation: "list", resource: Service.resource, group: "", name: "")
        }
    }
}
