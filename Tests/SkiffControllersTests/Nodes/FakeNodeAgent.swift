import Foundation
import SkiffAPI
import SkiffClient
import Synchronization

/// Plays a kubelet's node part: registers a Node with Ready=True, keeps its
/// Lease in kube-node-lease renewed while ``alive``, and posts Ready=True again
/// when it comes back.
final class FakeNodeAgent: Sendable {
    let name: String
    private let client: APIClient
    private let alive = Mutex(true)
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(_ name: String, client: APIClient) {
        self.name = name
        self.client = client
    }

    /// Creates the Node and its Lease, and starts renewing.
    static func start(_ name: String, client: APIClient) async throws -> FakeNodeAgent {
        let agent = FakeNodeAgent(name, client: client)
        var node = Node()
        node.metadata.name = name
        try await client.create(node)
        try await agent.postReady()
        var lease = Lease()
        lease.metadata.name = name
        lease.metadata.namespace = "kube-node-lease"
        lease.spec.holderIdentity = name
        lease.spec.leaseDurationSeconds = 40
        lease.spec.renewTime = .now()
        try await client.create(lease)
        agent.task.withLock { $0 = Task { await agent.renew() } }
        return agent
    }

    private func renew() async {
        while !Task.isCancelled {
            if alive.withLock({ $0 }), var lease = try? await client.get(Lease.self, name, namespace: "kube-node-lease") {
                lease.spec.renewTime = .now()
                _ = try? await client.update(lease)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The kubelet stops: no more Lease renewals or status.
    func die() { alive.withLock { $0 = false } }

    /// The kubelet is back: it renews the Lease and reports Ready=True.
    func comeBack() async throws {
        alive.withLock { $0 = true }
        try await postReady()
    }

    /// Writes the kubelet's conditions, Ready as given, on a fresh read (retrying conflicts).
    func postReady(_ ready: String = "True") async throws {
        while true {
            var node = try await client.get(Node.self, name)
            let now = Time.now()
            node.status.conditions = [("Ready", ready), ("MemoryPressure", "False"), ("DiskPressure", "False"), ("PIDPressure", "False")]
                .map { type, status in
                    var condition = NodeCondition()
                    condition.type = type
                    condition.status = status
                    condition.reason = "Kubelet" + type
                    condition.lastHeartbeatTime = now
                    condition.lastTransitionTime = now
                    return condition
                }
            do {
                try await client.updateStatus(node)
                return
            } catch {
                if !error.isConflict { throw error }
            }
        }
    }

    func stop() async {
        let task = self.task.withLock { $0 }
        task?.cancel()
        await task?.value
    }
}

extension TestCluster {
    func node(_ name: String) async throws -> Node {
        try await client.get(Node.self, name)
    }

    /// Events with this reason, in every namespace.
    func events(reason: String) async throws -> [Event] {
        try await client.list(Event.self).items.filter { $0.reason == reason }
    }

    /// A pod bound to `node`, running and ready as its kubelet would report it.
    @discardableResult
    func runningPod(_ name: String, on node: String?, tolerationSeconds: Int64? = nil) async throws -> Pod {
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.spec.containers = [Manifests.container(image: "nginx:1")]
        pod.spec.nodeName = node
        if let tolerationSeconds { pod.spec.tolerations = NodeTolerations.forLoss(seconds: tolerationSeconds) }
        let created = try await client.create(pod)
        return try await client.updateStatus(FakeKubelet.running(created))
    }
}

enum NodeTolerations {
    /// Tolerates losing its node for this long (instead of admission's 300 s).
    static func forLoss(seconds: Int64) -> [Toleration] {
        ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"].map { key in
            var toleration = Toleration()
            toleration.key = key
            toleration.operator = "Exists"
            toleration.effect = "NoExecute"
            toleration.tolerationSeconds = seconds
            return toleration
        }
    }
}
