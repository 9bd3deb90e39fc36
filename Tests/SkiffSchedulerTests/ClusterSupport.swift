import Foundation
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffScheduler
import SkiffStore

/// A real API server in this process (plain HTTP on 127.0.0.1, memory store)
/// with fake nodes — Node objects without kubelets — and schedulers under test.
struct TestCluster {
    let client: APIClient
    let port: Int

    static func with<T>(_ body: (TestCluster) async throws -> T) async throws -> T {
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = true
        let api = APIServer(store: MemoryStore(), configuration: configuration)
        try await api.start()
        let http = APIHTTPServer(handler: api)
        let port = try await http.start(host: "127.0.0.1", port: 0, tls: nil)
        let client = try APIClient(.plainHTTP(port: port))
        defer { client.close() }
        do {
            let result = try await body(TestCluster(client: client, port: port))
            await http.stop(gracePeriod: .seconds(1))
            await api.stop()
            return result
        } catch {
            await http.stop(gracePeriod: .seconds(1))
            await api.stop()
            throw error
        }
    }

    /// Starts a scheduler with its own client; cancel the task to stop it.
    func startScheduler(_ configure: (inout Scheduler.Configuration) -> Void = { _ in }) throws -> (Scheduler, Task<Void, Never>) {
        var configuration = Scheduler.Configuration()
        configuration.initialBackoff = .milliseconds(100)
        configuration.maximumBackoff = .milliseconds(500)
        configure(&configuration)
        let scheduler = Scheduler(client: try APIClient(.plainHTTP(port: port)), configuration: configuration)
        return (scheduler, Task { await scheduler.run() })
    }

    @discardableResult
    func createNode(_ node: Node) async throws -> Node {
        try await client.create(node)
    }

    @discardableResult
    func createPod(_ pod: Pod) async throws -> Pod {
        try await client.create(pod)
    }

    func pod(_ name: String) async throws -> Pod {
        try await client.get(Pod.self, name, namespace: "default")
    }

    func boundPods() async throws -> [Pod] {
        try await client.list(Pod.self, namespace: "default").items.filter { !($0.spec.nodeName ?? "").isEmpty }
    }
}

/// Polls until `condition` holds or about 30 s pass (no timing is asserted).
func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<600 {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}
