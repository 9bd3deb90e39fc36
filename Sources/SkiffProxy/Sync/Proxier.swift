import Foundation
import Logging
import SkiffAPI
import SkiffClient

/// The service proxy of one node: watches Services and EndpointSlices, keeps the
/// desired ``ProxyModel`` of each IP family up to date one changed Service at a
/// time (``IncrementalModel``), and has that family's backend (nftables or
/// iptables) apply the ``ModelChanges``. A dual-stack node has two backends, one
/// per family of its cluster CIDRs, as upstream's kube-proxy runs one proxier per
/// family. Events are coalesced (at most one sync per
/// ``Configuration/minSyncInterval``); the first sync and one every
/// ``Configuration/resyncInterval`` are full ones, the rest send only what
/// changed. A failed sync is retried as a full one, for that family only: an
/// IPv6 table the kernel refuses leaves the IPv4 one working.
public final class Proxier: Sendable {
    public struct Configuration: Sendable {
        public var nodeName: String
        /// The cluster's pod ranges, at most one per family (``IPCIDR/list(_:)``).
        public var clusterCIDRs: [IPCIDR]
        public var minSyncInterval: Duration = .milliseconds(100)
        public var resyncInterval: Duration = .seconds(300)
        /// The first retry of a family whose sync failed; each further failure doubles
        /// it, up to ``maxRetryInterval`` (a kernel that refuses the IPv6 table will
        /// go on refusing it).
        public var retryInterval: Duration = .seconds(1)
        public var maxRetryInterval: Duration = .seconds(30)
        /// Masquerade pods' traffic leaving the cluster CIDR (see ``NFTablesBackend/init(transport:clusterCIDR:egressMasquerade:)``).
        public var egressMasquerade = true
        /// Where health-check NodePorts are bound ("0.0.0.0": every address of the
        /// node, as upstream); nil opens none.
        public var healthCheckHost: String?

        public init(nodeName: String, clusterCIDRs: [IPCIDR]) {
            self.nodeName = nodeName
            self.clusterCIDRs = clusterCIDRs
        }

        public init(nodeName: String, clusterCIDR: IPCIDR) { self.init(nodeName: nodeName, clusterCIDRs: [clusterCIDR]) }
    }

    private let configuration: Configuration
    /// One per family, the primary (the first cluster CIDR's) first.
    private let backends: [any ProxyBackend]
    private let services: Informer<Service>
    private let slices: Informer<EndpointSlice>
    /// This node alone, for its zone label (topology-aware routing).
    private let node: Informer<Node>
    private let signal = SyncSignal()
    private let conntrack: (any ConntrackCleaner)?
    private let changedServices = ChangedServices()
    private let sliceIndex = SliceIndex()
    /// Warning events for what a Service asks that this proxy cannot program.
    private let events: EventRecorder
    private let healthChecks: ServiceHealthServers?
    private let logger: Logger
    public let status: ProxyStatus

    /// A proxier programming nftables through `transport`: a table per cluster CIDR's family.
    public convenience init(
        client: APIClient, transport: any NetfilterTransport, configuration: Configuration,
        status: ProxyStatus = ProxyStatus(), logger: Logger = Logger(label: "skiff.proxy")
    ) {
        self.init(
            client: client,
            backends: configuration.clusterCIDRs.map {
                NFTablesBackend(transport: transport, clusterCIDR: $0, egressMasquerade: configuration.egressMasquerade)
            },
            configuration: configuration, status: status, logger: logger)
    }

    /// A single-family proxier programming its rules with `backend`.
    public convenience init(
        client: APIClient, backend: any ProxyBackend, configuration: Configuration,
        conntrack: (any ConntrackCleaner)? = nil,
        status: ProxyStatus = ProxyStatus(), logger: Logger = Logger(label: "skiff.proxy")
    ) {
        self.init(
            client: client, backends: [backend], configuration: configuration, conntrack: conntrack, status: status,
            logger: logger)
    }

    /// A proxier programming each family's rules with its backend in `backends`
    /// (one per family, the primary first); after each sync, UDP conntrack entries
    /// the change left stale go through `conntrack` (nil: none).
    public init(
        client: APIClient, backends: [any ProxyBackend], configuration: Configuration,
        conntrack: (any ConntrackCleaner)? = nil,
        status: ProxyStatus = ProxyStatus(), logger: Logger = Logger(label: "skiff.proxy")
    ) {
        precondition(!backends.isEmpty && Set(backends.map(\.family)).count == backends.count, "one backend per family")
        self.configuration = configuration
        self.conntrack = conntrack
        self.logger = logger
        self.status = status
        self.backends = backends
        events = EventRecorder(client: client, component: "kube-proxy", host: configuration.nodeName, logger: logger)
        healthChecks = configuration.healthCheckHost.map { ServiceHealthServers(host: $0, logger: logger) }
        services = Informer<Service>(client: client, logger: logger)
        slices = Informer<EndpointSlice>(client: client, logger: logger)
        node = Informer<Node>(client: client, fieldSelector: "metadata.name=\(configuration.nodeName)", logger: logger)
        let signal = signal
        let changed = changedServices
        let index = sliceIndex
        services.addHandler { [status] event in
            changed.note(event)
            status.changed()
            signal.raise()
        }
        slices.addHandler { [status] event in
            index.note(event)
            changed.note(event)
            status.changed()
            signal.raise()
        }
        node.addHandler { [status] event in
            // A new zone changes what every topology-aware Service prefers (the sync
            // rebuilds them all); the node's other updates (status, every few seconds) do not.
            if case .updated(let old, let new) = event, Self.zone(of: old) == Self.zone(of: new),
                Self.addresses(of: old) == Self.addresses(of: new)
            { return }
            status.changed()
            signal.raise()
        }
    }

    /// Runs until cancelled. The table stays when the proxy stops, as upstream's:
    /// Services keep working while a proxy restarts.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.events.run() }
            group.addTask { await self.services.run() }
            group.addTask { await self.slices.run() }
            group.addTask { await self.node.run() }
            group.addTask {
                await self.services.waitForSync()
                await self.slices.waitForSync()
                await self.node.waitForSync()
                await self.syncLoop()
            }
            await group.next()
            group.cancelAll()
        }
        await healthChecks?.stop()
    }

    /// What the sync loop carries from one sync to the next, for one family.
    private struct FamilyState {
        let backend: any ProxyBackend
        /// The model as the informers' caches describe it, updated per changed Service.
        var model: IncrementalModel
        /// How `model` differs from what the backend last applied.
        var unapplied = ModelChanges()
        var appliedOnce = false
        /// Failures in a row, and when the family is tried again after the last.
        var failures = 0
        var retryAt: ContinuousClock.Instant?

        /// None ran yet, or the last failed: the next sync rewrites everything.
        var needsFull: Bool { !appliedOnce || retryAt != nil }
    }

    private func syncLoop() async {
        let families = backends.map(\.family)
        var states = backends.map {
            FamilyState(
                backend: $0,
                model: IncrementalModel(
                    builder: ModelBuilder(nodeName: configuration.nodeName, family: $0.family, nodeFamilies: families)))
        }
        var lastFull = ContinuousClock.now
        while !Task.isCancelled {
            let resync = ContinuousClock.now >= lastFull + configuration.resyncInterval
            await sync(resync: resync, &states)
            if resync { lastFull = .now }
            // Until the next change, the next full resync or the soonest retry of a failed family.
            let wake = states.compactMap(\.retryAt).reduce(lastFull + configuration.resyncInterval) { min($0, $1) }
            if await signal.wait(upTo: max(wake - .now, .zero)) {
                // Let a burst of changes (a rollout) arrive before syncing once for all of it.
                try? await Task.sleep(for: configuration.minSyncInterval)
                _ = await signal.wait(upTo: .zero)
            }
        }
    }

    /// Updates every family's model for the Services that changed and applies it
    /// (fully on `resync` or after a failure); a family that failed waits for its
    /// retry time, its changes kept for then.
    private func sync(resync: Bool, _ states: inout [FamilyState]) async {
        let start = ContinuousClock.now
        // This node's zone and addresses: when they changed, every Service is rebuilt with the new ones.
        let thisNode = node.get(configuration.nodeName)
        let zone = thisNode.flatMap(Self.zone(of:))
        let addresses = thisNode.map(Self.addresses(of:)) ?? []
        let nodeChanged = states.contains { $0.model.builder.zone != zone || $0.model.builder.nodeAddresses != addresses }
        for index in states.indices where nodeChanged {
            states[index].model.builder.zone = zone
            states[index].model.builder.nodeAddresses = addresses
        }
        // Unknown (the first sync, a relist, a new zone): every Service a model or the cache holds.
        let taken = changedServices.take()
        let keys = (nodeChanged ? nil : taken)
            ?? states.reduce(Set(services.list().map { ServiceKey($0.metadata) })) { $0.union($1.model.services) }
        // In place: a copy of a state would copy its model, 10,000 Services' worth.
        for index in states.indices { update(&states[index], keys) }
        var reports: [IPFamily: SyncReport] = [:]
        for index in states.indices where (states[index].retryAt.map { $0 <= .now } ?? true) {
            reports[states[index].backend.family] = await apply(full: resync || states[index].needsFull, &states[index])
        }
        let failed = reports.count < states.count
        status.synced(
            reports, failed: failed, seconds: (ContinuousClock.now - start).seconds,
            problems: states.reduce(0) { $0 + $1.model.problemCount })
        // Cheap when nothing changed; a port that could not be opened is tried again.
        await healthChecks?.update(Self.healthChecks(states.map(\.model)))
    }

    /// Brings one family's model up to date for the Services `keys`.
    private func update(_ state: inout FamilyState, _ keys: Set<ServiceKey>) {
        for key in keys {
            let problems = state.model.update(
                key, service: services.get(key.name, namespace: key.namespace), slices: sliceIndex.slices(of: key),
                changes: &state.unapplied)
            for problem in problems { report(problem) }
        }
    }

    /// Applies one family's model; its report, nil when it failed.
    private func apply(full: Bool, _ state: inout FamilyState) async -> SyncReport? {
        let family = state.backend.family
        do {
            let report = try await state.backend.apply(state.model.model, full: full, changes: state.unapplied)
            if let conntrack, state.appliedOnce {
                // After the rules: a flow deleted earlier could be re-created by the old ones.
                await conntrack.delete(StaleUDPFlow.left(by: state.unapplied))
            }
            state.unapplied = ModelChanges()
            state.appliedOnce = true
            state.failures = 0
            state.retryAt = nil
            if report.messages > 0 {
                logger.debug("synced", metadata: [
                    "family": "\(family.rawValue)", "full": "\(report.full)", "messages": "\(report.messages)",
                    "elementChanges": "\(report.elementChanges)",
                ])
            }
            return report
        } catch {
            // The model stays as the caches are; the backend now knows nothing, so the next sync is full.
            state.failures += 1
            let delay = min(configuration.retryInterval * (1 << min(state.failures - 1, 16)), configuration.maxRetryInterval)
            state.retryAt = .now + delay
            status.failed()
            logger.error("sync failed; retrying with a full sync", metadata: [
                "family": "\(family.rawValue)", "error": "\(error)", "retryIn": "\(delay)",
            ])
            return nil
        }
    }

    /// A node's `topology.kubernetes.io/zone` (nil: none).
    static func zone(of node: Node) -> String? { node.metadata.labels?["topology.kubernetes.io/zone"] }

    /// A node's IP addresses from its status (InternalIP, ExternalIP).
    static func addresses(of node: Node) -> [IPAddress] {
        (node.status.addresses ?? []).filter { $0.type == "InternalIP" || $0.type == "ExternalIP" }.compactMap { IPAddress($0.address) }
    }

    /// The health checks of every family's model: a dual-stack Service has one, and
    /// this node has its endpoints when either family's slices say so.
    static func healthChecks(_ models: [IncrementalModel]) -> [ServiceKey: ServicePart.HealthCheck] {
        models.reduce(into: [:]) { merged, model in
            merged.merge(model.healthChecks) { $0.localEndpoints >= $1.localEndpoints ? $0 : $1 }
        }
    }

    /// A log line, and a Warning event on the Service (repeats of one problem
    /// count up on the first event, as every EventRecorder's do).
    private func report(_ problem: ServiceProblem) {
        logger.warning("service not fully programmed", metadata: ["problem": "\(problem)"])
        guard let service = services.get(problem.service.name, namespace: problem.service.namespace) else { return }
        events.record(ObjectReference(to: service), type: .warning, reason: problem.reason.rawValue, message: problem.message)
    }
}
