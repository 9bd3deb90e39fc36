import ArgumentParser
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Skiff against a peer on this machine, in the same run.",
        subcommands: [
            BenchStoreCommand.self, BenchAPICommand.self, BenchRuntimeCommand.self, BenchSchedulerCommand.self,
            BenchKubeletCommand.self, BenchProxyCommand.self, BenchLabCommand.self,
        ]
    )
}

struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Durable writes/s and latency: Skiff's SQLite store against etcd on loopback."
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Concurrent writer counts to measure.")
    var writers: [Int] = [1, 64]

    @Option(name: .long, help: "Writes per measurement (split among the writers).")
    var writes = 10_000

    @Option(name: .long, help: "Bytes per value.")
    var valueSize = 1024

    @Option(name: .long, help: "The etcd server to compare with.")
    var etcd = "/usr/bin/etcd"

    @Option(name: .long, help: "Where to put the databases (default: a new temporary directory, removed after).")
    var dir: String?

    func validate() throws {
        guard writers.allSatisfy({ $0 > 0 }), writes > 0, valueSize > 0 else {
            throw ValidationError("--writers, --writes and --value-size must be positive")
        }
    }

    func run() async throws {
        let directory = dir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("skiff-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if dir == nil { try? FileManager.default.removeItem(at: directory) } }

        print("store benchmark: \(writes) creates per row, \(valueSize)-byte values, fsync before ack")
        print("peer: \(EtcdProcess.version(executable: etcd)) (JSON gateway on 127.0.0.1)")
        print("data: \(directory.path)\n")
        print("| backend | writers | writes | writes/s | p50 ms | p99 ms |")
        print("|---|---:|---:|---:|---:|---:|")
        var skiffRate: [Int: Double] = [:]
        var ratios: [String] = []
        let benchmark = StoreBenchmark(
            writerCounts: writers, writes: writes, valueSize: valueSize, etcdExecutable: etcd, directory: directory)
        try await benchmark.run { row in
            let result = row.result
            print(
                "| \(row.backend) | \(result.concurrency) | \(result.operations) | \(Int(result.perSecond.rounded())) "
                    + "| \(format(result.percentile(50))) | \(format(result.percentile(99))) |")
            if row.backend == "etcd", let skiff = skiffRate[result.concurrency] {
                ratios.append("\(result.concurrency) writers: skiff/etcd = \(format(skiff / result.perSecond))x")
            } else {
                skiffRate[result.concurrency] = result.perSecond
            }
        }
        print("\nthroughput ratio: " + ratios.joined(separator: "; "))
    }

    private func format(_ number: Double) -> String { String(format: "%.2f", number) }
}
