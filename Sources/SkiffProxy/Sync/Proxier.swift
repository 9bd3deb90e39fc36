import Foundation
import Logging
import SkiffAPI
import SkiffClient

/// The service proxy of one node: watches Services and EndpointSlices, keeps the
/// desired ``ProxyModel`` up to date one changed Service at a time
/// (``IncrementalModel``), and has the backend (nftables or iptables) apply the
/// ``ModelChanges``. Events are coalesced (at most one sync per
/// ``Configuration/minSyncInterval``); the first sync and one every
/// ``Configuration/resyncInterval`` are full ones, the rest send only what
/// changed. A failed sync is retried as a full one.
public final class Proxier: Sendable {
    public struct Configuration: Sendable {
        public var nodeName: String
        public var clusterCIDR: IPv4CIDR
        public var minSyncInterval: Duration = .milliseconds(100)
        public var resyncInterval: Duration = .seconds(300)
        public var retryInterval: Duration = .seconds(1)
        /// Masquerade pods' traffic leaving the cluster CIDR (see ``NFTablesBackend/init(transport:clusterCIDR:egressMasquerade:)``).
        public var egressMasquerade = true
        /// Where health-check NodePorts are bound ("0.0.0.0": every address of the
        /// node, as upstream); nil opens none.
        public var healthCheckHost: String?

        public init(nodeName: String, clusterCIDR: IPv4CIDR) {
            self.nodeName = nodeName
            self.clusterCIDR = clusterCIDR
        }
    }

    private let configuration: Configuration
    private let backend: any ProxyBackend
    private let services: Informer<Service>
    private let slices: Informer<EndpointSlice>
    private let signal = SyncSignal()
    private let conntrack: (any ConntrackCleaner)?
    private let changedServices = ChangedServices()
    private let sliceIndex = SliceIndex()
    /// Warning events for what a Service asks that this proxy cannot program.
    private let events: EventRecorder
    private let healthChecks: ServiceHealthServers?
    private let logger: Logger
    public let status: ProxyStatus

    /// A proxier programming nftables through `transport`.
    public convenience init(
        client: APIClient, transport: any NetfilterTransport, configuration: Configuration,
        status: ProxyStatus = ProxyStatus(), logger: Logger = Logger(label: "skiff.proxy")
    ) {
        self.init(
            client: client,
            backend: NFTablesBackend(
                transport: transport, clusterCIDR: configuration.clusterCIDR, egressMasquerade: configuration.egressMasquerade),
            configuration: configuration, status: status, logger: logger)
    }

    /// A proxier programming its rules with `backend`; after each sync, UDP
    /// conntrack entries the change left stale go through `conntrack` (nil: none).
    public init(
        client: APIClient, backend: any ProxyBackend, configuration: Configuration,
        conntrack: (any ConntrackCleaner)? = nil,
        status: ProxyStatus = ProxyStatus(), logger: Logger = Logger(label: "skiff.proxy")
    ) {
        self.configuration = configuration
        self.conntrack = conntrack
        self.logger = logger
        self.status = status
        self.backend = backend
        events = EventRecorder(client: client, component: "kube-proxy", host: configuration.nodeName, logger: logger)
        healthChecks = configuration.healthCheckHost.map { ServiceHealthServers(host: $0, logger: logger) }
        services = Informer<Service>(client: client, logger: logger)
        slices = Informer<EndpointSlice>(client: client, logger: logger)
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
    }

    /// Runs until cancelled. The table stays when the proxy stops, as upstream's:
    /// Services keep working while a proxy restarts.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.events.run() }
            group.addTask { await self.services.run() }
            group.addTask { await self.slices.run() }
            group.addTask {
                await self.services.waitForSync()
                await self.slices.waitForSync()
                await self.syncLoop()
            }
            await group.next()
            group.cancelAll()
        }
        await healthChecks?.stop()
    }

    /// What the sync loop carries from one sync to the next.
    private struct SyncState {
        /// The model as the informers' caches describe it, updated per changed Service.
        var model: IncrementalModel
        /// How `model` differs from what the backend last applied.
        var unapplied = ModelChanges()
        var appliedOnce = false
    }

    private func syncLoop() async {
        var state = SyncState(model: IncrementalModel(builder: ModelBuilder(nodeName: configuration.nodeName)))
        var lastFull = ContinuousClock.now
        var needFull = true
        while !Task.isCancelled {
            let due = lastFull + configuration.resyncInterval
            if needFull || ContinuousClock.now >= due {
                needFull = await !sync(full: true, &state)
                if !needFull { lastFull = .now }
            } else {
                needFull = await !sync(full: false, &state)
            }
            if needFull {
                try? await Task.sleep(for: configuration.retryInterval)
                continue
            }
            let untilResync = lastFull + configuration.resyncInterval - .now
            if await signal.wait(upTo: max(untilResync, .zero)) {
                // Let a burst of changes (a rollout) arrive before syncing once for all of it.
                try? await Task.sleep(for: configuration.minSyncInterval)
                _ = await signal.wait(upTo: .zero)
            }
        }
    }

    /// Updates the model for the Services that changed and applies it; false when it failed.
    private func sync(full: Bool, _ state: inout SyncState) async -> Bool {
        let start = ContinuousClock.now
        // Unknown (the first sync, a relist): every Service the model or the cache holds.
        let keys = changedServices.take() ?? Set(state.model.services).union(services.list().map { ServiceKey($0.metadata) })
        for key in keys {
            let problems = state.model.update(
                key, service: services.get(key.name, namespace: key.namespace), slices: sliceIndex.slices(of: key),
                changes: &state.unapplied)
            for problem in problems { report(problem) }
        }
        do {
            let report = try await backend.apply(state.model.model, full: full, changes: state.unapplied)
            let seconds = (ContinuousClock.now - start).seconds
            status.synced(report, seconds: seconds, problems: state.model.problemCount)
            if let conntrack, state.appliedOnce {
                // After the rules: a flow deleted earlier could be re-created by the old ones.
                await conntrack.delete(StaleUDPFlow.left(by: state.unapplied))
            }
            state.unapplied = ModelChanges()
            state.appliedOnce = true
            // Cheap when nothing changed; a port that could not be opened is tried again.
            await healthChecks?.update(state.model.healthChecks)
            if report.messages > 0 {
                logger.debug("synced", metadata: [
                    "full": "\(report.full)", "messages": "\(report.messages)", "elementChanges": "\(report.elementChanges)",
                    "seconds": "\(seconds)",
                ])
            }
            return true
        } catch {
            // The model stays as the caches are; the backend now knows nothing, so the next sync is full.
            status.failed()
            logger.error("sync failed; retrying with a full sync", metadata: ["error": "\(error)"])
            return false
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
