import ArgumentParser
import Foundation
import SkiffRuntime

struct BenchRuntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime",
        abstract: "Container start: skiff's runtime against runc run and the unshare floor (root)."
    )

    @Option(help: "Containers per way.") var count = 100
    @Option(help: "Idle containers whose monitor memory is measured.") var idle = 10
    @Option(help: "The runc to compare with.") var runc = "/usr/bin/runc"
    @Option(help: "Milliseconds to wait after each container, untimed (all ways): how much of a start is the previous container's teardown in the kernel.")
    var pauseMs = 0

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-bench-runtime-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Containers get cgroups, as runc's do, under a parent of their own removed after.
        let cgroups = try CgroupManager(parent: "skiff-bench-\(getpid())")
        defer { if let parent = try? cgroups.open(cgroups.parent) { try? parent.remove() } }
        let benchmark = RuntimeBenchmark(
            count: count, directory: directory, runc: runc, cgroups: cgroups, pauseMicroseconds: UInt32(max(pauseMs, 0)) * 1000)
        try benchmark.prepare()
        print("runtime benchmark: create + start + wait + remove of /bin/true, \(count) containers each, one at a time")
        print("rootfs: busybox-static, read-only; namespaces: mnt pid ipc uts net cgroup; a cgroup each")
        print(pauseMs > 0 ? "an untimed pause of \(pauseMs) ms after each container\n" : "")
        let unshare = try benchmark.measureUnshare()
        let runcTimes = try benchmark.measureRunc()
        let skiff = try await benchmark.measureSkiff(idle: idle)
        print("| way | containers | mean ms | p50 ms | p99 ms |")
        print("|---|---:|---:|---:|---:|")
        for (name, times) in [("unshare (floor)", unshare), ("runc run", runcTimes), ("skiff runtime", skiff.latencies)] {
            let result = LoadResult(concurrency: 1, seconds: times.reduce(0, +), latencies: times)
            let mean = result.seconds / Double(max(times.count, 1)) * 1000
            print("| \(name) | \(times.count) | \(format(mean)) | \(format(result.percentile(50))) | \(format(result.percentile(99))) |")
        }
        let ratio = skiff.latencies.reduce(0, +) / runcTimes.reduce(0, +)
        print("\nskiff/runc time = \(format(ratio))x")
        if !skiff.shimPSSKiB.isEmpty {
            let mean = Double(skiff.shimPSSKiB.reduce(0, +)) / Double(skiff.shimPSSKiB.count)
            print("skiff-shim memory per idle container (PSS): \(format(mean / 1024)) MiB (mean of \(skiff.shimPSSKiB.count))")
        }
    }

    private func format(_ number: Double) -> String { String(format: "%.2f", number) }
}
