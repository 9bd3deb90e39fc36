import ArgumentParser
import Foundation
import Logging
import SkiffClient
import SkiffScheduler

/// `skiff scheduler`: the scheduler alone, against any API server.
struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler", abstract: "Run the scheduler against an API server.")

    @Option(help: "The kubeconfig to reach the API server with.")
    var kubeconfig: String

    @OptionGroup var options: SchedulerOptions

    func run() async throws {
        let shutdown = ShutdownSignal()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "skiff.scheduler")
        var configuration = try ClientConfiguration.load(kubeconfigPath: kubeconfig)
        configuration.userAgent = "skiff-scheduler"
        let client = try APIClient(configuration)
        let running = SchedulerRunner.start(client: client, options: options, logger: logger)
        let signal = await shutdown.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        await running.stop()
        client.close()
    }
}

/// The scheduler's options, shared by `skiff scheduler` and `skiff server`.
struct SchedulerOptions: ParsableArguments {
    @Flag(help: "Take part in leader election through the kube-system/kube-scheduler Lease; only the leader schedules.")
    var leaderElect = false

    @Option(help: "The scheduler name pods ask for in spec.schedulerName.")
    var schedulerName = "default-scheduler"
}

/// A scheduler running in a task of this process.
struct SchedulerRunner {
    let task: Task<Void, Never>

    static func start(client: APIClient, options: SchedulerOptions, logger: Logger) -> SchedulerRunner {
        var configuration = Scheduler.Configuration()
        configuration.profile = .default(schedulerName: options.schedulerName)
        let host = ProcessInfo.processInfo.hostName
        configuration.host = host
        if options.leaderElect {
            configuration.leaderElection = LeaderElector.Configuration(
                leaseName: "kube-scheduler", namespace: "kube-system", identity: "\(host)_\(UUID().uuidString.lowercased())")
        }
        let scheduler = Scheduler(client: client, configuration: configuration, logger: logger)
        return SchedulerRunner(task: Task { await scheduler.run() })
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}
