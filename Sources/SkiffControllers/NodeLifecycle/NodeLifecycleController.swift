import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// Watches over the nodes' health, as upstream's node lifecycle controller:
/// every monitor period it looks at each node's Lease in kube-node-lease and
/// its Ready condition; a node whose kubelet stayed silent longer than the
/// grace period gets its kubelet conditions set to Unknown, a NodeNotReady
/// event, and its pods marked not ready. Its taints follow its conditions
/// (unreachable or not-ready NoExecute, and the NoSchedule taints of
/// taint-nodes-by-condition) and go once the kubelet reports Ready again.
/// Evicting the pods is ``TaintEvictionController``'s part.
public final class NodeLifecycleController: Controller {
    public let name = "nodelifecycle"
    public let queue = WorkQueue<String>()
    /// Not a node name (those are DNS subdomains): the key of the periodic pass.
    static let monitorKey = "@monitor"
    static let leaseNamespace = "kube-node-lease"

    let client: APIClient
    let nodes: Informer<Node>
    let leases: Informer<Lease>
    let pods: Informer<Pod>
    let events: EventRecorder?
    let logger: Logger
    let monitorPeriod: Duration
    let gracePeriod: Duration
    private let health = Mutex(NodeHealth())

    public init(
        client: APIClient, informers: SharedInformers, monitorPeriod: Duration, gracePeriod: Duration,
        events: EventRecorder?, logger: Logger
    ) {
        self.client = client
        self.events = events
        self.logger = logger
        self.monitorPeriod = monitorPeriod
        self.gracePeriod = gracePeriod
        nodes = informers.informer(Node.self)
        leases = informers.informer(Lease.self)
        pods = informers.informer(Pod.self)
        nodes.addHandler { [weak self] event in
            switch event {
            case .added(let node), .updated(_, let node), .deleted(let node): self?.queue.add(node.metadata.name ?? "")
            case .synced: break
            }
        }
        queue.add(Self.monitorKey)
    }

    public func sync(_ key: String) async throws {
        if key == Self.monitorKey {
            for node in nodes.list() { queue.add(node.metadata.name ?? "") }
            queue.add(key, after: monitorPeriod)
            return
        }
        guard var node = nodes.get(key) else {
            health.withLock { $0.forget(key) }
            return
        }
        let lease = leases.get(key, namespace: Self.leaseNamespace)
        let now = ContinuousClock.now
        let (silent, previousReady) = health.withLock { $0.observe(node, lease: lease, now: now, grace: gracePeriod) }
        if silent, let written = try await markUnknown(node) {
            node = written
            health.withLock { $0.setReady(key, "Unknown") }
        }
        let ready = node.condition("Ready")?.status
        if ready != "True" {
            if previousReady == "True" || (silent && previousReady != "Unknown" && ready == "Unknown") {
                logger.info("node not ready", metadata: ["node": "\(key)", "ready": "\(ready ?? "none")"])
                events?.record(ObjectReference(to: node), type: .normal, reason: "NodeNotReady", message: "Node \(key) status is now: NodeNotReady")
            }
            if ready != nil { try await markPodsNotReady(on: key) }
        }
        try await reconcileTaints(key)
    }

    /// Writes Unknown conditions over the node as the cache has it, so a status
    /// the kubelet posted meanwhile makes this a conflict (and a fresh look)
    /// rather than being overwritten; nil when they already were Unknown.
    private func markUnknown(_ cached: Node) async throws -> Node? {
        var node = cached
        guard node.status.markUnknown(now: .now()) else { return nil }
        logger.info("kubelet stopped posting node status", metadata: ["node": "\(node.metadata.name ?? "")"])
        return try await client.updateStatus(node)
    }

    /// Upstream's MarkPodsNotReady: a pod on a node that is not ready is not ready either.
    private func markPodsNotReady(on nodeName: String) async throws {
        for pod in pods.list() where pod.spec.nodeName == nodeName && pod.metadata.deletionTimestamp == nil {
            guard var conditions = pod.status.conditions,
                let index = conditions.firstIndex(where: { $0.type == "Ready" && $0.status != "False" })
            else { continue }
            conditions[index].status = "False"
            conditions[index].lastTransitionTime = .now()
            var updated = pod
            updated.status.conditions = conditions
            do {
                try await client.updateStatus(updated)
            } catch {
                if !error.isNotFound { throw error }
            }
        }
    }

    /// Brings the taints in line with the conditions, on a fresh read so a
    /// change by someone else (kubectl taint) is not overwritten from a stale cache.
    private func reconcileTaints(_ name: String) async throws {
        guard let cached = nodes.get(name), NodeConditionTaints.reconciled(cached, now: .now()) != (cached.spec.taints ?? [])
        else { return }
        var node = try await client.get(Node.self, name)
        let taints = NodeConditionTaints.reconciled(node, now: .now())
        guard taints != (node.spec.taints ?? []) else { return }
        logger.info(
            "node taints changed", metadata: ["node": "\(name)", "taints": "\(taints.map { "\($0.key):\($0.effect)" })"])
        node.spec.taints = taints.isEmpty ? nil : taints
        try await client.update(node)
    }
}
