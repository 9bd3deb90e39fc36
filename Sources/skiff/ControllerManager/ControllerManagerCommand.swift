import ArgumentParser
import Foundation
import Logging
import SkiffClient
import SkiffControllers

/// `skiff controller-manager`: the controllers alone, against any API server.
struct ControllerManagerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller-manager", abstract: "Run the controllers against an API server.")

    @Option(help: "The kubeconfig to reach the API server with.")
    var kubeconfig: String

    @OptionGroup var options: ControllerManagerOptions

    func run() async throws {
        let shutdown = ShutdownSignal()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "skiff.controller-manager")
        var configuration = try ClientConfiguration.load(kubeconfigPath: kubeconfig)
        configuration.userAgent = "skiff-controller-manager"
        let client = try APIClient(configuration)
        let running = ControllerManagerRunner.start(
            client: client, workers: options.concurrentSyncs, leaderElect: options.leaderElect, nodes: options.nodes,
            logger: logger)
        let signal = await shutdown.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        await running.stop()
        client.close()
    }
}

/// The controller manager's options. `skiff server` runs the controllers with the
/// default workers and its own `--leader-elect`, shared with the scheduler.
struct ControllerManagerOptions: ParsableArguments {
    @Flag(
        name: .customLong("leader-elect"),
        help: "Take part in leader election through the kube-system/kube-controller-manager Lease; only the leader acts.")
    var leaderElect = false

    @Option(help: "Workers per controller.")
    var concurrentSyncs = 5

    @OptionGroup var nodes: NodeControllerOptions

    func validate() throws {
        guard concurrentSyncs > 0 else { throw ValidationError("--concurrent-syncs must be at least 1") }
    }
}

/// A controller manager running in a task of this process.
struct ControllerManagerRunner {
    let task: Task<Void, Never>

    static func start(
        client: APIClient, workers: Int, leaderElect: Bool, nodes: NodeControllerOptions, logger: Logger
    ) -> ControllerManagerRunner {
        var configuration = ControllerManager.Configuration()
        configuration.workers = workers
        nodes.apply(to: &configuration.nodes)
        let host = ProcessInfo.processInfo.hostName
        configuration.host = host
        if leaderElect {
            configuration.leaderElection = LeaderElector.Configuration(
                leaseName: "kube-controller-manager", namespace: "kube-system",
                identity: "\(host)_\(UUID().uuidString.lowercased())")
        }
        let manager = ControllerManager(client: client, configuration: configuration, logger: logger)
        return ControllerManagerRunner(task: Task { await manager.run() })
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}
