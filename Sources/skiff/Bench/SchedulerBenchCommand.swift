import ArgumentParser
import Foundation

/// `skiff bench scheduler`: scheduling throughput against a real API server in
/// this process, with fake nodes (Node objects, no kubelets).
struct BenchSchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Scheduling throughput (pods/s) with fake nodes, against an in-process API server on 127.0.0.1."
    )

    @Option(help: "Fake nodes (4 CPU, 32 GiB, 110 pods each, as upstream's scheduler_perf).")
    var nodes = 500

    @Option(help: "Pods to schedule (100m CPU, 500 MiB each, as upstream's scheduler_perf).")
    var pods = 1000

    @Option(help: "Store of the API server: memory or sqlite.")
    var store = "memory"

    @Option(help: "Bindings in flight at most.")
    var bindConcurrency = 32

    @Option(help: "Client connections kept open to the API server.")
    var connections = 16

    func validate() throws {
        guard nodes > 0, pods > 0, bindConcurrency > 0, connections > 0 else {
            throw ValidationError("--nodes, --pods, --bind-concurrency and --connections must be positive")
        }
        guard ["sqlite", "memory"].contains(store) else { throw ValidationError("--store must be sqlite or memory") }
    }

    func run() async throws {
        var benchmark = SchedulerBenchmark(nodes: nodes, pods: pods, store: store)
        benchmark.bindConcurrency = bindConcurrency
        benchmark.connections = connections
        print("scheduler benchmark: \(nodes) nodes, \(pods) pods, \(store) store, plain HTTP on 127.0.0.1")
        let result = try await benchmark.run { print($0) }
        print("")
        print("| nodes | pods | first → last bind s | pods/s | peer: binds/s without scheduling | ratio | CPU ms per pod (process) | unschedulable attempts |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        let ratio = result.rawBindsPerSecond > 0 ? result.podsPerSecond / result.rawBindsPerSecond : 0
        print(
            "| \(nodes) | \(pods) | \(String(format: "%.2f", result.seconds)) | \(Int(result.podsPerSecond.rounded())) "
                + "| \(Int(result.rawBindsPerSecond.rounded())) | \(String(format: "%.2f", ratio)) "
                + "| \(String(format: "%.2f", result.cpuMillisecondsPerPod)) | \(result.unschedulable) |")
    }
}
