import ArgumentParser
import Dispatch
import Foundation
import Logging
import SkiffProxy
import SkiffStore

/// `skiff server`: the control plane — the embedded store, the API server over
/// it, the scheduler and the controllers — and an agent (the kubelet) on the
/// same host, so one command gives a working one-node cluster.
struct ServerCommand: ControlPlaneCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Run the control plane on the embedded store.")
    static let logLabel = "skiff.server"

    @OptionGroup var storeOptions: ServerStoreOptions
    @OptionGroup var apiServer: APIServerOptions
    @OptionGroup var scheduler: SchedulerOptions

    @Flag(help: "Do not run the scheduler in this process.")
    var disableScheduler = false

    @Flag(help: "Do not run the controllers in this process.")
    var disableControllers = false

    @OptionGroup var nodeControllers: NodeControllerOptions

    @OptionGroup var agent: AgentOptions

    @Flag(help: "Do not run an agent (kubelet) on this host: a control plane without a node.")
    var disableAgent = false

    @Flag(help: "Do not run the service proxy beside the kubelet.")
    var disableKubeProxy = false

    @Option(help: "How the service proxy programs the node: nftables or iptables.")
    var proxyMode: ProxyMode = .nftables

    /// The components that run beside the API server, each with its own client.
    func startComponents(_ server: APIServerRunner.Running, logger: Logger) async throws -> [InProcessComponent] {
        var components: [InProcessComponent] = []
        if !disableAgent {
            var configuration = agent.kubeletConfiguration(
                defaultNodeIP: server.advertisedAddress, clusterCIDR: nodeControllers.clusterCIDR)
            configuration.nodeLabels["node-role.kubernetes.io/control-plane"] = "true"
            let client = try server.loopbackClient(
                commonName: "system:node:\(configuration.nodeName)", userAgent: "skiff-kubelet")
            let serving = try server.pki.map { try AgentRunner.serving(pki: $0, configuration: configuration) }
            let running = try await AgentRunner.start(
                client: client, options: agent, configuration: configuration, serving: serving,
                logger: Logger(label: "skiff.kubelet"), proxy: !disableKubeProxy, proxyMode: proxyMode,
                clusterCIDR: nodeControllers.clusterCIDR)
            components.append(InProcessComponent(name: "kubelet") {
                await running.stop()
                client.close()
            })
        }
        if !disableScheduler {
            let client = try server.loopbackClient(commonName: "system:kube-scheduler", userAgent: "skiff-scheduler")
            let running = SchedulerRunner.start(client: client, options: scheduler, logger: Logger(label: "skiff.scheduler"))
            components.append(InProcessComponent(name: "scheduler") {
                await running.stop()
                client.close()
            })
        }
        if !disableControllers {
            let client = try server.loopbackClient(
                commonName: "system:kube-controller-manager", userAgent: "skiff-controller-manager")
            let running = ControllerManagerRunner.start(
                client: client, workers: 5, leaderElect: scheduler.leaderElect, nodes: nodeControllers,
                logger: Logger(label: "skiff.controller-manager"))
            components.append(InProcessComponent(name: "controller-manager") {
                await running.stop()
                client.close()
            })
        }
        return components
    }
}

/// `skiff apiserver`: the API server alone, over the embedded store.
struct APIServerCommand: ControlPlaneCommand {
    static let configuration = CommandConfiguration(
        commandName: "apiserver", abstract: "Run the Kubernetes API server alone.")
    static let logLabel = "skiff.apiserver"

    @OptionGroup var storeOptions: ServerStoreOptions
    @OptionGroup var apiServer: APIServerOptions
}

/// A command that runs (part of) the control plane until SIGINT or SIGTERM.
protocol ControlPlaneCommand: AsyncParsableCommand {
    static var logLabel: String { get }
    var storeOptions: ServerStoreOptions { get }
    var apiServer: APIServerOptions { get }
    /// Starts what runs beside the API server once it serves; stopped before it.
    func startComponents(_ server: APIServerRunner.Running, logger: Logger) async throws -> [InProcessComponent]
}

extension ControlPlaneCommand {
    func startComponents(_ server: APIServerRunner.Running, logger: Logger) async throws -> [InProcessComponent] { [] }

    func run() async throws {
        try await ControlPlane(store: storeOptions, apiServer: apiServer, label: Self.logLabel).run(
            startComponents: startComponents)
    }
}

/// A component running in the server's process (the scheduler, the
/// controllers, the kubelet), and how to stop it.
struct InProcessComponent {
    let name: String
    let stop: () async -> Void
}

/// Where the server keeps its state and how the store is kept.
struct ServerStoreOptions: ParsableArguments {
    @Option(help: "Skiff's data directory.")
    var dataDir = ServerPaths.defaultDataDir

    @Option(help: "sqlite (durable, the default) or memory (lost at exit; for tests). --datastore-endpoint chooses etcd.")
    var store = "sqlite"

    @OptionGroup var datastore: DatastoreOptions

    @Option(help: "Revisions of history automatic compaction keeps.")
    var compactionKeep: Int64 = StoreLimits.defaultCompactionKeep

    @Option(help: "Seconds between automatic compactions.")
    var compactionInterval = 300

    func validate() throws {
        guard ["sqlite", "memory"].contains(store) else { throw ValidationError("--store must be sqlite or memory") }
        guard store == "sqlite" || datastore.datastoreEndpoint == nil else {
            throw ValidationError("--store memory and --datastore-endpoint exclude each other")
        }
        guard compactionKeep >= 0, compactionInterval > 0 else {
            throw ValidationError("--compaction-keep must be ≥ 0 and --compaction-interval > 0")
        }
    }
}

/// The store, compacted on a schedule, and the API server over it, until SIGINT
/// or SIGTERM; then both stop cleanly.
struct ControlPlane {
    let store: ServerStoreOptions
    let apiServer: APIServerOptions
    let label: String

    func run(
        startComponents: (APIServerRunner.Running, Logger) async throws -> [InProcessComponent]
    ) async throws {
        let shutdown = ShutdownSignal()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: label)
        let dataDir = store.dataDir
        let lock = try ServerLock(dataDir: dataDir)
        defer { withExtendedLifetime(lock) {} }
        let backend = try await openStore(logger: logger)
        let compaction = Task { await compactPeriodically(backend, logger: logger) }

        let running: APIServerRunner.Running
        do {
            running = try await APIServerRunner(options: apiServer, dataDir: dataDir, logger: logger).start(store: backend)
        } catch {
            compaction.cancel()
            await backend.close()
            throw error
        }

        let components: [InProcessComponent]
        do {
            components = try await startComponents(running, logger)
        } catch {
            await running.stop()
            compaction.cancel()
            await backend.close()
            throw error
        }

        let signal = await shutdown.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        for component in components.reversed() {
            await component.stop()
            logger.info("stopped", metadata: ["component": "\(component.name)"])
        }
        await running.stop()
        compaction.cancel()
        await backend.close()
    }

    private func openStore(logger: Logger) async throws -> any Store {
        if store.store == "memory" { return MemoryStore() }
        if let configuration = try store.datastore.etcdConfiguration() {
            let backend = try await store.datastore.connect(configuration)
            let revision = try await backend.currentRevision
            logger.info(
                "store ready",
                metadata: ["etcd": "\(backend.connectedEndpoint.map(String.init(describing:)) ?? "?")", "revision": "\(revision)"])
            return backend
        }
        let path = ServerPaths(dataDir: store.dataDir).database
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        let backend = try SQLiteStore(path: path)
        let revision = try await backend.currentRevision
        logger.info("store ready", metadata: ["path": "\(path)", "revision": "\(revision)"])
        return backend
    }

    private func compactPeriodically(_ backend: any Store, logger: Logger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(store.compactionInterval))
            if Task.isCancelled { break }
            do {
                if let revision = try await backend.compactOldRevisions(keep: store.compactionKeep) {
                    logger.info("compacted", metadata: ["revision": "\(revision)"])
                }
            } catch {
                logger.error("compaction failed", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// SIGINT and SIGTERM, caught from the moment this is made, so a signal that comes
/// while the server is still starting ends it cleanly too.
final class ShutdownSignal {
    private let names: AsyncStream<String>
    private let sources: [any DispatchSourceSignal]

    init() {
        let (names, continuation) = AsyncStream.makeStream(of: String.self)
        self.names = names
        sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            return source
        }
    }

    /// The name of the first signal received.
    func wait() async -> String {
        for await name in names { return name }
        return "end of signals"
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
