import Foundation
import Logging
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffScheduler
import SkiffStore
import Synchronization

/// Creates fake nodes and pending pods through the API, then starts a scheduler
/// and times the bindings from the first to the last, as upstream's
/// scheduler_perf SchedulingBasic does (its node and pod templates: 4 CPU,
/// 32 GiB, 110 pods; 100m CPU and 500 MiB per pod). Everything — API server,
/// store, scheduler — shares this process and the machine's cores.
///
/// The peer, in the same run: the same number of pods bound straight through
/// `pods/binding` by a client that picks nodes round-robin and does no
/// scheduling, over as many connections — the API server's own ceiling for
/// this workload, which the scheduler's rate is a share of.
struct SchedulerBenchmark {
    let nodes: Int
    let pods: Int
    let store: String
    var bindConcurrency = 32
    var connections = 16

    struct Result {
        var seconds: Double
        /// Pods/s of the peer: bindings without scheduling.
        var rawBindsPerSecond: Double
        var bound: Int
        var unschedulable: Int
        var cpuSeconds: Double

        var podsPerSecond: Double { seconds > 0 ? Double(bound) / seconds : 0 }
        var cpuMillisecondsPerPod: Double { bound > 0 ? cpuSeconds * 1000 / Double(bound) : 0 }
    }

    func run(progress: (String) -> Void) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-bench-scheduler-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend: any Store
        if store == "sqlite" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            backend = try SQLiteStore(path: directory.appendingPathComponent("state.db").path)
        } else {
            backend = MemoryStore()
        }
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = true
        let quiet = Logger(label: "skiff.bench") { _ in SwiftLogNoOpLogHandler() }
        let api = APIServer(store: backend, configuration: configuration, logger: quiet)
        try await api.start()
        let http = APIHTTPServer(handler: api, logger: quiet)
        let port = try await http.start(host: "127.0.0.1", port: 0, tls: nil)
        var clientConfiguration = ClientConfiguration.plainHTTP(port: port)
        clientConfiguration.maximumConnections = connections
        let client = try APIClient(clientConfiguration)
        defer { client.close() }

        var started = monotonicSeconds()
        try await createAll(count: nodes, client: client) { try await client.create(Self.node($0)) }
        progress("created \(nodes) nodes in \(String(format: "%.1f", monotonicSeconds() - started)) s")
        started = monotonicSeconds()
        try await createAll(count: pods, client: client) { try await client.create(Self.pod($0)) }
        progress("created \(pods) pods in \(String(format: "%.1f", monotonicSeconds() - started)) s")

        var schedulerConfiguration = Scheduler.Configuration()
        schedulerConfiguration.bindConcurrency = bindConcurrency
        let scheduler = Scheduler(client: client, configuration: schedulerConfiguration, logger: quiet)
        let cpuBefore = Self.processCPUSeconds()
        let running = Task { await scheduler.run() }
        var first: Double?
        var last = monotonicSeconds()
        let deadline = monotonicSeconds() + 600
        while monotonicSeconds() < deadline {
            let bound = scheduler.counts.bound
            if bound > 0 && first == nil { first = monotonicSeconds() }
            if bound >= pods {
                last = monotonicSeconds()
                break
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        let cpu = Self.processCPUSeconds() - cpuBefore
        let counts = scheduler.counts
        running.cancel()
        await running.value
        try await verify(client: client)
        progress("verified: every pod bound, no node over its allocatable")
        let raw = try await rawBindings(client: client)
        progress("peer: \(pods) pods bound round-robin without scheduling at \(Int(raw.rounded())) pods/s")
        await http.stop(gracePeriod: .seconds(1))
        await api.stop()
        await backend.close()
        return Result(
            seconds: last - (first ?? last), rawBindsPerSecond: raw, bound: counts.bound, unschedulable: counts.unschedulable, cpuSeconds: cpu)
    }

    /// Creates objects 32 at a time.
    private func createAll(count: Int, client: APIClient, _ create: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            while next < min(32, count) {
                let index = next
                group.addTask { try await create(index) }
                next += 1
            }
            while try await group.next() != nil {
                if next < count {
                    let index = next
                    group.addTask { try await create(index) }
                    next += 1
                }
            }
        }
    }

    /// Creates another `pods` pods in namespace bench-raw (the scheduler has
    /// stopped by now) and binds them directly, `bindConcurrency` at a time.
    private func rawBindings(client: APIClient) async throws -> Double {
        var namespace = Namespace()
        namespace.metadata.name = "bench-raw"
        try await client.create(namespace)
        try await createAll(count: pods, client: client) { index in
            var pod = Self.pod(index)
            pod.metadata.namespace = "bench-raw"
            try await client.create(pod)
        }
        let nodes = self.nodes
        let started = monotonicSeconds()
        try await withThrowingTaskGroup(of: Void.self) { group in
            let next = Counter()
            for _ in 0..<bindConcurrency {
                group.addTask {
                    while let index = next.take(below: self.pods) {
                        try await client.bind(pod: "pod-\(index)", namespace: "bench-raw", node: "node-\(index % nodes)")
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(pods) / (monotonicSeconds() - started)
    }

    private func verify(client: APIClient) async throws {
        let all = try await client.listAll(Pod.self, namespace: "default", options: ListOptions(resourceVersion: nil))
        let unbound = all.items.filter { ($0.spec.nodeName ?? "").isEmpty }
        guard unbound.isEmpty else { throw CommandFailure("\(unbound.count) pods were not bound") }
        let perNode = Dictionary(grouping: all.items, by: { $0.spec.nodeName! }).mapValues(\.count)
        // 4 CPU / 100m = 40 pods by CPU, 32 GiB / 500 MiB = 65 by memory, 110 by count.
        if let crowded = perNode.first(where: { $0.value > 40 }) {
            throw CommandFailure("node \(crowded.key) got \(crowded.value) pods, more than its 4 CPUs hold")
        }
    }

    /// Hands out 0, 1, 2, … to concurrent workers.
    final class Counter: Sendable {
        private let value = Mutex(0)
        func take(below limit: Int) -> Int? {
            value.withLock { value in
                guard value < limit else { return nil }
                defer { value += 1 }
                return value
            }
        }
    }

    static func node(_ index: Int) -> Node {
        var node = Node()
        node.metadata.name = "node-\(index)"
        node.metadata.labels = ["kubernetes.io/hostname": "node-\(index)", "topology.kubernetes.io/zone": "zone-\(index % 3)"]
        let resources: ResourceList = ["cpu": "4", "memory": "32Gi", "pods": "110"]
        node.status.capacity = resources
        node.status.allocatable = resources
        var ready = NodeCondition()
        ready.type = "Ready"
        ready.status = "True"
        node.status.conditions = [ready]
        return node
    }

    static func pod(_ index: Int) -> Pod {
        var pod = Pod()
        pod.metadata.name = "pod-\(index)"
        pod.metadata.namespace = "default"
        var container = Container()
        container.name = "pause"
        container.image = "registry.k8s.io/pause:3.10"
        container.resources.requests = ["cpu": "100m", "memory": "500Mi"]
        pod.spec.containers = [container]
        return pod
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
