import Foundation
import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// The service proxy of one node: watches Services and EndpointSlices, builds
/// the desired ``ProxyModel``, and has the backend (nftables or iptables) apply
/// the difference. Events
/// are coalesced (at most one sync per ``Configuration/minSyncInterval``); the
/// first sync and one every ``Configuration/resyncInterval`` are full ones, the
/// rest send only what changed. A failed sync is retried as a full one.
public final class Proxier: Sendable {
    public struct Configuration: Sendable {
        public var nodeName: String
        public var clusterCIDR: IPv4CIDR
        public var minSyncInterval: Duration = .milliseconds(100)
        public var resyncInterval: Duration = .seconds(300)
        public var retryInterval: Duration = .seconds(1)
        /// Masquerade pods' traffic leaving the cluster CIDR (see ``NFTablesBackend/init(transport:clusterCIDR:egressMasquerade:)``).
        public var egressMasquerade = true

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
    /// The model of the last successful sync: what stale UDP flows are judged against.
    private let appliedModel = Mutex<ProxyModel?>(nil)
    private let changedServices = ChangedServices()
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
        services = Informer<Service>(client: client, logger: logger)
        slices = Informer<EndpointSlice>(client: client, logger: logger)
        let signal = signal
        let changed = changedServices
        services.addHandler { [status] event in
            changed.note(event)
            status.changed()
            signal.raise()
        }
        slices.addHandler { [status] event in
            changed.note(event)
            status.changed()
            signal.raise()
        }
    }

    /// Runs until cancelled. The table stays when the proxy stops, as upstream's:
    /// Services keep working while a proxy restarts.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
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
    }

    private func syncLoop() async {
        var lastFull = ContinuousClock.now
        var needFull = true
        while !Task.isCancelled {
            let due = lastFull + configuration.resyncInterval
            if needFull || ContinuousClock.now >= due {
                needFull = await !sync(full: true)
                if !needFull { lastFull = .now }
            } else {
                needFull = await !sync(full: false)
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

    /// Builds the desired state from the caches and applies it; false when it failed.
    private func sync(full: Bool) async -> Bool {
        let start = ContinuousClock.now
        let changed = changedServices.take()
        let built = ModelBuilder(nodeName: configuration.nodeName).build(services: services.list(), slices: slices.list())
        for problem in built.problems { logger.warning("service skipped", metadata: ["problem": "\(problem)"]) }
        do {
            let report = try await backend.apply(built.model, full: full, changedServices: changed)
            let seconds = (ContinuousClock.now - start).seconds
            status.synced(report, seconds: seconds, problems: built.problems.count)
            let previous = appliedModel.withLock { applied in
                defer { applied = built.model }
                return applied
            }
            if let conntrack, let previous {
                // After the rules: a flow deleted earlier could be re-created by the old ones.
                await conntrack.delete(StaleUDPFlow.between(previous, built.model))
            }
            if report.messages > 0 {
                logger.debug("synced", metadata: [
                    "full": "\(report.full)", "messages": "\(report.messages)", "elementChanges": "\(report.elementChanges)",
                    "seconds": "\(seconds)",
                ])
            }
            return true
        } catch {
            changedServices.forget()
            status.failed()
            logger.error("sync failed; retrying with a full sync", metadata: ["error": "\(error)"])
            return false
        }
    }
}
