import Foundation
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffControllers
import SkiffStore
import Synchronization

/// A real API server in this process (plain HTTP on 127.0.0.1, memory store)
/// with a controller manager against it. No kubelet runs: ``FakeKubelet`` plays
/// its part by writing pod status.
struct TestCluster {
    let client: APIClient
    let port: Int
    /// The controller manager; ``stopControllerManager()`` and
    /// ``startControllerManager()`` play a restart of its process.
    let manager: RunningManager

    func stopControllerManager() async { await manager.stop() }
    func startControllerManager() throws { try manager.start() }

    static func with<T>(
        controllers: Set<String>? = nil, nodes: NodeControllersConfiguration = NodeControllersConfiguration(),
        configure: (inout ControllerManager.Configuration) -> Void = { _ in },
        _ body: (TestCluster) async throws -> T
    ) async throws -> T {
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = true
        let api = APIServer(store: MemoryStore(), configuration: configuration)
        try await api.start()
        let http = APIHTTPServer(handler: api)
        let port = try await http.start(host: "127.0.0.1", port: 0, tls: nil)
        let client = try APIClient(.plainHTTP(port: port))
        var managerConfiguration = ControllerManager.Configuration()
        managerConfiguration.controllers = controllers
        managerConfiguration.nodes = nodes
        configure(&managerConfiguration)
        let manager = try RunningManager(port: port, configuration: managerConfiguration)
        func stop() async {
            await manager.stop()
            client.close()
            await http.stop(gracePeriod: .seconds(1))
            await api.stop()
        }
        do {
            let result = try await body(TestCluster(client: client, port: port, manager: manager))
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    func pods(_ selector: String? = nil) async throws -> [Pod] {
        try await client.list(Pod.self, namespace: "default", options: ListOptions(labelSelector: selector)).items
    }

    func replicaSets() async throws -> [ReplicaSet] {
        try await client.list(ReplicaSet.self, namespace: "default").items
    }
}

/// A controller manager with its own client, which can be stopped and started
/// again with empty caches, as a restarted process would be.
final class RunningManager: Sendable {
    private let port: Int
    private let configuration: ControllerManager.Configuration
    private let running = Mutex<(task: Task<Void, Never>, client: APIClient)?>(nil)

    init(port: Int, configuration: ControllerManager.Configuration) throws {
        self.port = port
        self.configuration = configuration
        try start()
    }

    func start() throws {
        let client = try APIClient(.plainHTTP(port: port))
        let manager = ControllerManager(client: client, configuration: configuration)
        running.withLock { running in
            precondition(running == nil, "the controller manager is already running")
            running = (Task { await manager.run() }, client)
        }
    }

    func stop() async {
        guard let (task, client) = running.withLock({ running in defer { running = nil }; return running }) else { return }
        task.cancel()
        await task.value
        client.close()
    }
}

/// Plays the kubelet: marks pods Running and Ready (writing pod status, as a
/// kubelet would) once `ready` says so, until stopped.
final class FakeKubelet: Sendable {
    private let task: Task<Void, Never>

    init(client: APIClient, ready: @escaping @Sendable (Pod) -> Bool = { _ in true }) {
        task = Task {
            while !Task.isCancelled {
                let pods = (try? await client.list(Pod.self, namespace: "default").items) ?? []
                for pod in pods where !pod.isReady && pod.metadata.deletionTimestamp == nil && ready(pod) {
                    _ = try? await client.updateStatus(FakeKubelet.running(pod))
                }
                try? await Task.sleep(for: .milliseconds(30))
            }
        }
    }

    static func running(_ pod: Pod) -> Pod {
        var pod = pod
        let now = Time.now()
        pod.status.phase = "Running"
        var condition = PodCondition()
        condition.type = "Ready"
        condition.status = "True"
        condition.lastTransitionTime = now
        pod.status.conditions = [condition]
        pod.status.startTime = now
        return pod
    }

    func stop() async {
        task.cancel()
        await task.value
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

enum Manifests {
    static func container(image: String) -> Container {
        var container = Container()
        container.name = "web"
        container.image = image
        return container
    }

    static func replicaSet(_ name: String, replicas: Int32, labels: [String: String] = ["app": "web"]) -> ReplicaSet {
        var set = ReplicaSet()
        set.metadata.name = name
        set.metadata.namespace = "default"
        set.spec.replicas = replicas
        set.spec.selector = LabelSelector(matchLabels: labels)
        set.spec.template.metadata.labels = labels
        set.spec.template.spec.containers = [container(image: "nginx:1")]
        return set
    }

    static func deployment(_ name: String, replicas: Int32, image: String, maxSurge: IntOrString, maxUnavailable: IntOrString) -> Deployment {
        var deployment = Deployment()
        deployment.metadata.name = name
        deployment.metadata.namespace = "default"
        deployment.spec.replicas = replicas
        deployment.spec.selector = LabelSelector(matchLabels: ["app": name])
        deployment.spec.template.metadata.labels = ["app": name]
        deployment.spec.template.spec.containers = [container(image: image)]
        var rolling = RollingUpdateDeployment()
        rolling.maxSurge = maxSurge
        rolling.maxUnavailable = maxUnavailable
        deployment.spec.strategy.rollingUpdate = rolling
        return deployment
    }
}

extension TestCluster {
    /// Reads, changes and writes a deployment, again on a conflict (the
    /// controller writes its status meanwhile), as kubectl edit does.
    @discardableResult
    func updateDeployment(_ name: String, _ change: (inout Deployment) -> Void) async throws -> Deployment {
        while true {
            var deployment = try await client.get(Deployment.self, name, namespace: "default")
            change(&deployment)
            do {
                return try await client.update(deployment)
            } catch {
                if !error.isConflict { throw error }
            }
        }
    }
}

extension TestCluster {
    /// No replica set and no pod is left in the default namespace.
    func workloadsGone() async throws -> Bool {
        let sets = try await replicaSets()
        let pods = try await pods()
        return sets.isEmpty && pods.isEmpty
    }
}
