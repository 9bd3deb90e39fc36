import Foundation
import SkiffAPI
import SkiffClient
import SkiffRuntime

/// Inside the benchmark's network namespace: a `skiff server` without an agent
/// and a `skiff kubelet` (or, with `agent`, a `skiff agent`: kubelet and service
/// proxy, joined with the node token) as separate processes, so the node's memory
/// is its own; the test image imported, then pods created one at a time and all at
/// once, each timed from its create request to the watch event that shows it
/// Running. Every pod is deleted before the node process stops.
struct KubeletBenchmark {
    let executable: String
    let pods: Int
    let imageLayout: String
    /// Measure `skiff agent` rather than `skiff kubelet`.
    let agent: Bool
    let namespace: String

    static let nodeName = "bench-node"

    func run() async throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("skiff-bench-kubelet-\(getpid())")
        var keepDirectory = false
        defer { if !keepDirectory { try? FileManager.default.removeItem(at: directory) } }
        let agentState = directory.appendingPathComponent("agent").path
        let images = try ImageStore(root: agentState + "/runtime/images")
        _ = try await images.importLayout(path: imageLayout)
        let server = try APIServerProcess(
            executable: executable, directory: directory.appendingPathComponent("server"), store: "sqlite",
            extraArguments: ["--disable-agent"])
        defer { server.stop() }
        let kubeconfig = directory.appendingPathComponent("server/admin.kubeconfig").path
        let cgroupParent = "skiff-bench-\(getpid())"
        let nodeOptions = [
            "--node-name", Self.nodeName, "--node-ip", "127.0.0.1",
            "--agent-state-dir", agentState, "--agent-run-dir", directory.appendingPathComponent("run").path,
            "--pod-log-dir", directory.appendingPathComponent("logs").path, "--cgroup-parent", cgroupParent,
        ]
        let component = agent
            ? ["agent", "--server", "https://127.0.0.1:\(server.port)", "--token", try nodeToken(server)]
            : ["kubelet", "--kubeconfig", kubeconfig]
        let kubelet = try ChildProcess(
            executable: executable, arguments: component + nodeOptions,
            log: directory.appendingPathComponent("\(component[0]).log").path)
        defer {
            kubelet.stop()
            // The pinned-namespace directories are bind mounts of their own.
            try? PinnedNamespaces(runDirectory: directory.appendingPathComponent("run").path).removeDirectories()
            // The kubelet nested pod cgroups under this parent (in this process's own cgroup); it is empty now.
            if let cgroups = try? CgroupManager(parent: cgroupParent), let parent = try? cgroups.open(cgroups.parent) {
                try? parent.remove()
            }
        }
        let client = try APIClient(try ClientConfiguration.load(kubeconfigPath: kubeconfig))
        defer { client.close() }
        try await waitForNode(client)

        print("\(component[0]) benchmark: \(pods) pods of busybox (image present), one node, in network namespace \(namespace)")
        print("latency: pod create request → watch event with phase Running\n")
        let idleMemory = try kubelet.memory()
        var serial: [Double] = []
        for index in 0..<pods {
            serial += try await startPods(client, names: ["serial-\(index)"])
        }
        try await deleteAll(client)
        let burst = try await startPods(client, names: (0..<pods).map { "burst-\($0)" })
        let loaded = try kubelet.memory()
        // And once the burst's garbage has had time to go (the agent trims its heap
        // every 10 s), with the pods still running.
        try await Task.sleep(for: .seconds(15))
        let settled = try kubelet.memory()
        print("| pods created | pods | p50 ms | p99 ms | max ms |")
        print("|---|---:|---:|---:|---:|")
        for (name, latencies) in [("one at a time", serial), ("all at once", burst)] {
            let result = LoadResult(concurrency: 1, seconds: latencies.reduce(0, +), latencies: latencies)
            let worst = (latencies.max() ?? 0) * 1000
            print("| \(name) | \(latencies.count) | \(ms(result.percentile(50))) | \(ms(result.percentile(99))) | \(ms(worst)) |")
        }
        print("\n\(component[0]) RSS: \(mib(idleMemory.resident)) MiB idle, \(mib(loaded.resident)) MiB with \(pods) pods running "
            + "and \(mib(settled.resident)) MiB 15 s later (peak \(mib(max(loaded.peak, loaded.resident, settled.peak))) MiB)")
        try await deleteAll(client)
        // A pod is deleted from the API only once its containers are gone; once (of
        // 60 pods, 2026-12-04) three kept running. Keep what is left for a look.
        let left = try await containersLeft(runtimeRoot: agentState + "/runtime")
        if !left.isEmpty {
            keepDirectory = true
            print("warning: \(left.count) containers remain after their pods were deleted (\(left.prefix(5).joined(separator: ", "))); "
                + "kept \(directory.path) with the \(component[0])'s log")
        }
    }

    /// The token agents join with, which the server wrote into its data directory.
    private func nodeToken(_ server: APIServerProcess) throws -> String {
        let path = server.dataDirectory.appendingPathComponent("server/node-token").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationErrorText("no node token at \(path)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The runtime's containers still recorded a few seconds after the API emptied.
    private func containersLeft(runtimeRoot: String) async throws -> [String] {
        var left: [String] = []
        for _ in 0..<50 {
            left = (try? FileManager.default.contentsOfDirectory(atPath: runtimeRoot + "/containers")) ?? []
            if left.isEmpty { return [] }
            try await Task.sleep(for: .milliseconds(100))
        }
        return left.sorted()
    }

    /// Creates the pods and returns each one's seconds from create to Running.
    private func startPods(_ client: APIClient, names: [String]) async throws -> [Double] {
        let events = try await client.watch(Pod.self, namespace: "default")
        var created: [String: Double] = [:]
        for name in names {
            var pod = Pod()
            pod.metadata.name = name
            var container = Container()
            container.name = "main"
            container.image = "busybox:latest"
            container.imagePullPolicy = "Never"
            container.command = ["sleep", "3600"]
            pod.spec.containers = [container]
            pod.spec.nodeName = Self.nodeName
            pod.spec.terminationGracePeriodSeconds = 0
            created[name] = monotonicSeconds()
            _ = try await client.create(pod)
        }
        var latencies: [String: Double] = [:]
        for try await event in events {
            guard case .modified(let pod) = event, pod.status.phase == "Running", let name = pod.metadata.name,
                let start = created[name], latencies[name] == nil
            else { continue }
            latencies[name] = monotonicSeconds() - start
            if latencies.count == names.count { break }
        }
        return names.compactMap { latencies[$0] }
    }

    private func deleteAll(_ client: APIClient) async throws {
        for pod in try await client.list(Pod.self, namespace: "default").items {
            try await client.delete(Pod.self, pod.metadata.name ?? "", namespace: "default")
        }
        for _ in 0..<600 {
            if try await client.list(Pod.self, namespace: "default").items.isEmpty { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationErrorText("pods were not deleted within 60 s")
    }

    private func waitForNode(_ client: APIClient) async throws {
        for _ in 0..<600 {
            if let node = try? await client.get(Node.self, Self.nodeName),
                node.status.conditions?.contains(where: { $0.type == "Ready" && $0.status == "True" }) == true
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationErrorText("the kubelet did not register a ready node within 60 s")
    }

    private func ms(_ milliseconds: Double) -> String { String(format: "%.1f", milliseconds) }
    private func mib(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
}

struct ValidationErrorText: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
