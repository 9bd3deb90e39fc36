import Foundation

/// The API server measured from outside: `skiff server` runs as a child process
/// and this process drives it over HTTPS with keep-alive connections — creates
/// (open loop at a fixed rate, and closed loop), gets, lists of a namespace of
/// 1,000 pods (consistent and from the watch cache), watch event latency, and
/// the server's memory with 10,000 pods stored.
struct APIBenchmark {
    var createRate = 200.0
    var createSeconds = 10.0
    var rateConnections = 32
    var connections = 16
    var closedCreates = 3000
    var readSeconds = 5.0
    var listConnections = 4
    var listPods = 1000
    var watchers = 100
    var watchCreates = 200
    var watchRate = 20.0
    var storedPods = 10_000

    struct Row {
        var operation: String
        var workload: String
        var result: LoadResult
        /// Skiff's goal and upstream's SLO for the p99.
        var goal: String
        /// CPU milliseconds per request (per watcher-event for a watch), in the
        /// server and in this load process.
        var cpu: CPUPerOperation
        /// Watch rows count watcher-events and have no request rate.
        var isWatch = false
        var note = ""
    }

    struct CPUPerOperation {
        var server: Double
        var load: Double
    }

    struct Memory {
        var pods: Int
        var residentEmpty: Int
        /// With `pods` stored, before any read load.
        var residentStored: Int
        /// At the end, after the gets, lists and watches.
        var residentAfterReads: Int
        var peak: Int
    }

    private let namespaces = (list: "bench", open: "bench-rate", closed: "bench-max", watch: "bench-watch", fill: "bench-fill")

    func run(server: APIServerProcess, report: (Row) -> Void) async throws -> Memory {
        let endpoint = try server.endpoint()
        var pool: [LoopbackHTTPConnection] = []
        for _ in 0..<max(rateConnections, connections, listConnections) { pool.append(try await endpoint.connect()) }
        defer { pool.forEach { $0.close() } }
        let admin = pool[0]
        for namespace in [namespaces.list, namespaces.open, namespaces.closed, namespaces.watch, namespaces.fill] {
            try await admin.expect(201, .POST, "/api/v1/namespaces", body: APIBenchObjects.namespace(namespace))
        }
        let empty = try server.memory()
        var stored = 0

        let rateCount = Int(createRate * createSeconds)
        let (rate, rateCPU) = try await measured(server) {
            try await APILoad.openLoop(
                rate: createRate, count: rateCount, connections: Array(pool.prefix(rateConnections)),
                operation: Self.create(namespace: namespaces.open, prefix: "pod"))
        }
        stored += rate.operations
        report(Row(
            operation: "create", workload: "open loop, \(Int(createRate))/s for \(Int(createSeconds)) s", result: rate,
            goal: "< 20 ms; SLO ≤ 1 s", cpu: rateCPU))

        let (closed, closedCPU) = try await measured(server) {
            try await APILoad.closedLoop(
                limit: closedCreates, connections: Array(pool.prefix(connections)),
                operation: Self.create(namespace: namespaces.closed, prefix: "pod"))
        }
        stored += closed.operations
        report(Row(operation: "create", workload: "closed loop, \(closedCreates) pods", result: closed, goal: "SLO ≤ 1 s",
            cpu: closedCPU))

        stored += try await APILoad.closedLoop(
            limit: listPods, connections: Array(pool.prefix(connections)),
            operation: Self.create(namespace: namespaces.list, prefix: "pod")
        ).operations
        let listPath = "/api/v1/namespaces/\(namespaces.list)/pods"
        let items = try await Self.itemCount(admin.expect(200, .GET, listPath).body)
        guard items == listPods else {
            throw LoopbackHTTPConnection.Failure(description: "\(listPath) lists \(items) pods, expected \(listPods)")
        }

        if storedPods > stored {
            stored += try await APILoad.closedLoop(
                limit: storedPods - stored, connections: Array(pool.prefix(connections)),
                operation: Self.create(namespace: namespaces.fill, prefix: "pod")
            ).operations
        }
        // Let the watch cache and allocator settle before reading the server's memory.
        try await Task.sleep(for: .seconds(2))
        let full = try server.memory()

        let listPods = self.listPods
        let (get, getCPU) = try await measured(server) {
            try await APILoad.closedLoop(duration: readSeconds, connections: Array(pool.prefix(connections))) {
                connection, index in try await connection.expect(200, .GET, "\(listPath)/pod-\(index % listPods)")
            }
        }
        report(Row(operation: "get", workload: "closed loop, one pod by name", result: get, goal: "SLO ≤ 1 s", cpu: getCPU))

        for (query, workload) in [("", "consistent read (store)"), ("?resourceVersion=0", "resourceVersion=0 (watch cache)")] {
            let replyBytes = Locked(0)
            let (list, listCPU) = try await measured(server) {
                try await APILoad.closedLoop(duration: readSeconds, connections: Array(pool.prefix(listConnections))) {
                    connection, _ in
                    let count = try await connection.expect(200, .GET, listPath + query).body.count
                    replyBytes.withLock { $0 = count }
                }
            }
            report(Row(
                operation: "list \(listPods) pods", workload: workload, result: list, goal: "SLO ≤ 5 s",
                cpu: listCPU, note: "\(replyBytes.withLock { $0 } / 1024) KiB per reply"))
        }

        let watchLatency = APIWatchLatency(
            namespace: namespaces.watch, watchers: watchers, creates: watchCreates, rate: watchRate)
        var watch: APIWatchLatency.Result?
        let (watchEvents, watchCPU) = try await measured(server) {
            let result = try await watchLatency.run(endpoint: endpoint, creators: Array(pool.prefix(4)))
            watch = result
            return result.latency
        }
        report(Row(
            operation: "watch", workload: "\(watchers) watchers, creates at \(Int(watchRate))/s",
            result: watchEvents, goal: "none (SLI is WIP)", cpu: watchCPU, isWatch: true,
            note: "\(watch?.received ?? 0) of \(watch?.expected ?? 0) watcher-events"))

        let end = try server.memory()
        return Memory(
            pods: stored, residentEmpty: empty.resident, residentStored: full.resident, residentAfterReads: end.resident,
            peak: end.peak)
    }

    /// Runs one measured load and the CPU time the server and this process spent on it.
    private func measured(
        _ server: APIServerProcess, _ load: () async throws -> LoadResult
    ) async throws -> (LoadResult, CPUPerOperation) {
        let serverBefore = try server.cpuSeconds()
        let loadBefore = Self.ownCPUSeconds()
        let result = try await load()
        let operations = Double(max(result.operations, 1))
        let cpu = CPUPerOperation(
            server: (try server.cpuSeconds() - serverBefore) * 1000 / operations,
            load: (Self.ownCPUSeconds() - loadBefore) * 1000 / operations)
        return (result, cpu)
    }

    private static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    private static func create(namespace: String, prefix: String) -> APILoad.Operation {
        let path = "/api/v1/namespaces/\(namespace)/pods"
        return { connection, index in
            try await connection.expect(
                201, .POST, path, body: APIBenchObjects.pod(name: "\(prefix)-\(index)", namespace: namespace))
        }
    }

    private static func itemCount(_ list: [UInt8]) -> Int {
        let object = try? JSONSerialization.jsonObject(with: Data(list)) as? [String: Any]
        return (object?["items"] as? [Any])?.count ?? -1
    }
}
