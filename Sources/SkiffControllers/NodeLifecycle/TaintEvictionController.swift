import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// Deletes pods from nodes with NoExecute taints they do not tolerate, as
/// upstream's taint eviction controller: a pod that does not tolerate every
/// NoExecute taint of its node goes at once; one that tolerates them all for a
/// while (the shortest `tolerationSeconds` of the tolerations used) goes when
/// that time has passed since the controller first saw it tainted, unless the
/// taints are gone by then. Each decision is a TaintManagerEviction event.
public final class TaintEvictionController: Controller {
    public let name = "taint-eviction"
    public let queue = WorkQueue<String>()

    private struct Scheduled {
        let uid: String
        let since: ContinuousClock.Instant
    }

    let client: APIClient
    let nodes: Informer<Node>
    let pods: Informer<Pod>
    let events: EventRecorder?
    let logger: Logger
    private let scheduled = Mutex([String: Scheduled]())

    public init(client: APIClient, informers: SharedInformers, events: EventRecorder?, logger: Logger) {
        self.client = client
        self.events = events
        self.logger = logger
        nodes = informers.informer(Node.self)
        pods = informers.informer(Pod.self)
        pods.addHandler { [weak self] event in
            switch event {
            case .added(let pod), .updated(_, let pod), .deleted(let pod):
                guard pod.spec.nodeName != nil else { return }
                self?.queue.add(ObjectKey.make(namespace: pod.metadata.namespace, name: pod.metadata.name))
            case .synced: break
            }
        }
        nodes.addHandler { [weak self] event in
            switch event {
            case .added(let node), .deleted(let node): self?.enqueuePods(on: node)
            case .updated(let old, let new):
                if Self.noExecuteTaints(old) != Self.noExecuteTaints(new) { self?.enqueuePods(on: new) }
            case .synced: break
            }
        }
    }

    static func noExecuteTaints(_ node: Node) -> [Taint] {
        (node.spec.taints ?? []).filter { $0.effect == "NoExecute" }
    }

    private func enqueuePods(on node: Node) {
        for pod in pods.list() where pod.spec.nodeName == node.metadata.name {
            queue.add(ObjectKey.make(namespace: pod.metadata.namespace, name: pod.metadata.name))
        }
    }

    /// The key is a pod's `namespace/name`.
    public func sync(_ key: String) async throws {
        let (namespace, podName) = ObjectKey.split(key)
        guard let pod = pods.get(podName, namespace: namespace), pod.metadata.deletionTimestamp == nil,
            let nodeName = pod.spec.nodeName, let node = nodes.get(nodeName)
        else {
            _ = scheduled.withLock { $0.removeValue(forKey: key) }
            return
        }
        let taints = Self.noExecuteTaints(node)
        guard !taints.isEmpty else { return cancel(key, pod) }
        guard let wait = Self.tolerationTime(of: pod, for: taints) else { return cancel(key, pod) }
        let uid = pod.metadata.uid ?? ""
        let now = ContinuousClock.now
        let since = scheduled.withLock { scheduled in
            if let entry = scheduled[key], entry.uid == uid { return entry.since }
            scheduled[key] = Scheduled(uid: uid, since: now)
            return now
        }
        let due = since + wait
        if due > now {
            queue.add(key, after: due - now)
            return
        }
        try await evict(pod, key: key)
    }

    /// How long the pod may stay: zero when some taint is not tolerated, nil
    /// when it tolerates them all for ever (upstream's getMinTolerationTime over
    /// the first toleration matching each taint).
    static func tolerationTime(of pod: Pod, for taints: [Taint]) -> Duration? {
        let tolerations = pod.spec.tolerations ?? []
        var shortest: Int64?
        for taint in taints {
            guard let used = tolerations.first(where: { $0.tolerates(taint) }) else { return .zero }
            guard let seconds = used.tolerationSeconds else { continue }
            if seconds <= 0 { return .zero }
            shortest = min(shortest ?? seconds, seconds)
        }
        return shortest.map { .seconds($0) }
    }

    /// The taints went (or are now tolerated for ever) before the pod's time ran out.
    private func cancel(_ key: String, _ pod: Pod) {
        guard scheduled.withLock({ $0.removeValue(forKey: key) }) != nil else { return }
        logger.info("cancelled pod eviction", metadata: ["pod": "\(key)"])
        events?.record(ObjectReference(to: pod), type: .normal, reason: "TaintManagerEviction", message: "Cancelling deletion of Pod \(key)")
    }

    /// Upstream's addConditionAndDeletePod: a DisruptionTarget condition says
    /// why, then the pod is deleted with its own grace period.
    private func evict(_ pod: Pod, key: String) async throws {
        events?.record(ObjectReference(to: pod), type: .normal, reason: "TaintManagerEviction", message: "Marking for deletion Pod \(key)")
        logger.info("evicting pod from tainted node", metadata: ["pod": "\(key)", "node": "\(pod.spec.nodeName ?? "")"])
        var marked = pod
        var condition = PodCondition()
        condition.type = "DisruptionTarget"
        condition.status = "True"
        condition.reason = "DeletionByTaintManager"
        condition.message = "Taint manager: deleting due to NoExecute taint"
        condition.lastTransitionTime = .now()
        marked.status.conditions = (pod.status.conditions ?? []).filter { $0.type != "DisruptionTarget" } + [condition]
        do {
            try await client.updateStatus(marked)
            var options = DeleteOptions()
            var preconditions = Preconditions()
            preconditions.uid = pod.metadata.uid
            options.preconditions = preconditions
            try await client.delete(Pod.self, pod.metadata.name ?? "", namespace: pod.metadata.namespace, options: options)
        } catch {
            if !error.isNotFound { throw error }
        }
        _ = scheduled.withLock { $0.removeValue(forKey: key) }
    }
}
