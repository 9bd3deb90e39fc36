import Foundation
import SkiffRuntime

/// Container start cost: create + start + wait + remove of `/bin/true`, Skiff's runtime
/// against `runc run` of the same bundle, and the floor — `unshare` making the same six
/// namespaces and exec'ing `/bin/true` — all in the same run on the same rootfs.
struct RuntimeBenchmark {
    let count: Int
    let directory: URL
    let runc: String
    let cgroups: (any CgroupDriver)?
    /// Waited after each container, outside the timing.
    var pauseMicroseconds: UInt32 = 0

    var bundle: URL { directory.appendingPathComponent("bundle") }
    var rootfs: URL { bundle.appendingPathComponent("rootfs") }

    func prepare() throws {
        let files = FileManager.default
        for path in ["bin", "proc", "sys", "dev", "tmp", "etc"] {
            try files.createDirectory(at: rootfs.appendingPathComponent(path), withIntermediateDirectories: true)
        }
        try files.copyItem(atPath: "/bin/busybox", toPath: rootfs.appendingPathComponent("bin/busybox").path)
        for applet in ["true", "sh", "sleep"] {
            try files.createSymbolicLink(atPath: rootfs.appendingPathComponent("bin/\(applet)").path, withDestinationPath: "busybox")
        }
        try writeRuncConfig()
    }

    /// `runc spec`'s default config (six namespaces, read-only root, containerd-like
    /// capabilities and masks), running /bin/true without a terminal.
    private func writeRuncConfig() throws {
        let spec = Process()
        spec.executableURL = URL(fileURLWithPath: runc)
        spec.arguments = ["spec", "--bundle", bundle.path]
        try spec.run()
        spec.waitUntilExit()
        let path = bundle.appendingPathComponent("config.json")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as! [String: Any]
        var process = config["process"] as! [String: Any]
        process["args"] = ["/bin/true"]
        process["terminal"] = false
        config["process"] = process
        try JSONSerialization.data(withJSONObject: config).write(to: path)
    }

    /// Seconds per container for each way, in order.
    func measureSkiff(idle: Int) async throws -> (latencies: [Double], shimPSSKiB: [Int]) {
        let runtime = try ContainerRuntime(root: directory.appendingPathComponent("skiff").path, cgroups: cgroups)
        let config = ContainerConfig(
            command: ["/bin/true"], hostname: "bench", rootfs: .directory(rootfs.path), readOnlyRootFilesystem: true)
        var latencies: [Double] = []
        for index in 0..<count {
            let id = "bench-\(index)"
            let start = monotonicSeconds()
            _ = try await runtime.create(id: id, config: config)
            let t1 = monotonicSeconds()
            _ = try await runtime.start(id: id)
            let t2 = monotonicSeconds()
            let record = await runtime.waitForExit(id: id, timeout: 10)
            let t3 = monotonicSeconds()
            try await runtime.remove(id: id)
            let t4 = monotonicSeconds()
            if ProcessInfo.processInfo.environment["SKIFF_BENCH_PHASES"] != nil {
                print(String(format: "create %.1f start %.1f wait %.1f remove %.1f", (t1-start)*1000, (t2-t1)*1000, (t3-t2)*1000, (t4-t3)*1000))
            }
            latencies.append(monotonicSeconds() - start)
            if pauseMicroseconds > 0 { usleep(pauseMicroseconds) }
            guard record.state == .exited else { throw RuntimeError.invalidState(container: id, reason: "did not exit") }
        }
        // Memory of the monitor of an idle container: start some sleepers and read RSS.
        var sleeper = config
        sleeper.command = ["/bin/sleep", "60"]
        var rss: [Int] = []
        for index in 0..<idle {
            let record = try await runtime.create(id: "idle-\(index)", config: sleeper)
            _ = record
            let started = try await runtime.start(id: "idle-\(index)")
            if let shim = started.shimPID { rss.append(Self.proportionalKiB(pid: shim)) }
        }
        for index in 0..<idle {
            try await runtime.stop(id: "idle-\(index)", gracePeriod: 0)
            try await runtime.remove(id: "idle-\(index)")
        }
        return (latencies, rss)
    }

    func measureRunc() throws -> [Double] {
        let state = directory.appendingPathComponent("runc-state").path
        return try (0..<count).map { index in
            defer { if pauseMicroseconds > 0 { usleep(pauseMicroseconds) } }
            return try timed(runc, ["--root", state, "run", "--bundle", bundle.path, "bench-\(index)"])
        }
    }

    func measureUnshare() throws -> [Double] {
        try (0..<count).map { _ in
            defer { if pauseMicroseconds > 0 { usleep(pauseMicroseconds) } }
            return try timed("/usr/bin/unshare", ["--mount", "--pid", "--ipc", "--uts", "--net", "--cgroup", "--fork", "/bin/true"])
        }
    }

    private func timed(_ executable: String, _ arguments: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let start = monotonicSeconds()
        try process.run()
        process.waitUntilExit()
        let elapsed = monotonicSeconds() - start
        guard process.terminationStatus == 0 else {
            throw RuntimeError.shim("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return elapsed
    }

    /// A process's proportional set size: its private pages plus its share of pages
    /// it shares (libc, the shim's code), which is what one more container really costs.
    static func proportionalKiB(pid: Int32) -> Int {
        let rollup = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
        let line = rollup.split(separator: "\n").first { $0.hasPrefix("Pss:") }
        return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
    }
}
