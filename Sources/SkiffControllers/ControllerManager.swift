import Logging
import SkiffAPI
import SkiffClient

/// Every controller of one process over one set of shared informers, as
/// kube-controller-manager: with leader election only the holder of the
/// `kube-system/kube-controller-manager` Lease runs them, and a term that ends
/// (leadership lost) drops its caches and queues; the next one starts afresh.
public final class ControllerManager: Sendable {
    public struct Configuration: Sendable {
        /// Workers per controller (upstream's --concurrent-* flags default to 5).
        public var workers = 5
        /// Take part in leader election through this Lease; nil: always act.
        public var leaderElection: LeaderElector.Configuration?
        /// Shown as the source of events.
        public var host: String?
        /// Names of the controllers to run; nil runs all of ``ControllerManager/controllerNames``.
        public var controllers: Set<String>?
        /// The delay before a Job replaces failed pods (upstream: 10 s doubling to 6 min).
        public var jobPodFailureBackoff = JobController.defaultPodFailureBackoff
        /// The cluster CIDR and timings of nodeipam, nodelifecycle and podgc.
        public var nodes = NodeControllersConfiguration()

        public init() {}
    }

    public static let controllerNames = [
        "serviceaccount", "replicaset", "replicationcontroller", "deployment", "endpointslice", "endpoints", "namespace",
        "garbagecollector", "job", "cronjob", "ttl-after-finished", "nodeipam", "nodelifecycle", "podgc",
        "daemonset", "statefulset",
    ]

    public let configuration: Configuration
    private let client: APIClient
    private let logger: Logger

    public init(client: APIClient, configuration: Configuration = Configuration(), logger: Logger = Logger(label: "skiff.controller-manager")) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs the controllers until the task is cancelled; with leader election,
    /// only while leading, campaigning again whenever leadership is lost.
    public func run() async {
        guard let election = configuration.leaderElection else {
            await runTerm()
            return
        }
        let elector = LeaderElector(client: client, configuration: election, logger: logger)
        while !Task.isCancelled {
            await elector.run { await self.runTerm() }
        }
    }

    /// One term: fresh informers, controllers and queues until cancelled.
    func runTerm() async {
        let informers = SharedInformers(client: client, logger: logger)
        let events = EventRecorder(client: client, component: "controllermanager", host: configuration.host, logger: logger)
        let controllers = makeControllers(informers: informers, events: events)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await informers.run() }
            group.addTask { await events.run() }
            group.addTask {
                await informers.waitForSync()
                guard !Task.isCancelled else { return }
                self.logger.info("controller caches synced", metadata: ["controllers": "\(controllers.map(\.name))"])
                await withTaskGroup(of: Void.self) { workers in
                    for controller in controllers {
                        workers.addTask { await controller.runWorkers(self.configuration.workers, logger: self.logger) }
                    }
                }
            }
        }
        logger.info("controllers stopped")
    }

    private func makeControllers(informers: SharedInformers, events: EventRecorder) -> [any Controller] {
        let enabled = configuration.controllers ?? Set(Self.controllerNames)
        var controllers: [any Controller] = []
        if enabled.contains("serviceaccount") {
            controllers.append(ServiceAccountController(client: client, informers: informers, logger: logger))
        }
        if enabled.contains("replicaset") {
            controllers.append(ReplicaSetController(client: client, informers: informers, events: events, logger: logger))
        }
        if enabled.contains("replicationcontroller") {
            controllers.append(ReplicationManager(client: client, informers: informers, events: events, logger: logger))
        }
        if enabled.contains("deployment") {
            controllers.append(DeploymentController(client: client, informers: informers, events: events, logger: logger))
        }
        if enabled.contains("endpointslice") {
            controllers.append(EndpointSliceController(client: client, informers: informers, logger: logger))
        }
        if enabled.contains("endpoints") {
            controllers.append(EndpointsController(client: client, informers: informers, logger: logger))
        }
        if enabled.contains("namespace") {
            controllers.append(NamespaceController(client: client, informers: informers, logger: logger))
        }
        if enabled.contains("garbagecollector") {
            controllers.append(GarbageCollector(client: client, informers: informers, logger: logger))
        }
        if enabled.contains("job") {
            controllers.append(
                JobController(
                    client: client, informers: informers, events: events, logger: logger,
                    podFailureBackoff: configuration.jobPodFailureBackoff))
        }
        if enabled.contains("cronjob") {
            controllers.append(CronJobController(client: client, informers: informers, events: events, logger: logger))
        }
        if enabled.contains("ttl-after-finished") {
            controllers.append(TTLAfterFinishedController(client: client, informers: informers, logger: logger))
        }
        controllers += makeNodeControllers(enabled, client: client, informers: informers, events: events, logger: logger)
        if enabled.contains("daemonset") {
            controllers.append(DaemonSetController(client: client, informers: informers, events: events, logger: logger))
        }
        if enabled.contains("statefulset") {
            controllers.append(StatefulSetController(client: client, informers: informers, events: events, logger: logger))
        }
        return controllers
    }
}
