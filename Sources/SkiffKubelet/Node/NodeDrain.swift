import Logging
import SkiffAPI
import SkiffClient

/// What `skiff agent --drain` does before it stops, as `kubectl drain
/// --ignore-daemonsets --delete-emptydir-data` would: marks the node
/// unschedulable, evicts its pods (not those of DaemonSets, which would come
/// straight back, nor mirror pods), and waits until they are gone, so their
/// controllers have recreated them elsewhere by the time the agent exits. The
/// kubelet keeps running meanwhile: it is what stops the evicted pods gracefully.
public struct NodeDrain: Sendable {
    let client: APIClient
    let nodeName: String
    let logger: Logger
    var retryInterval: Duration = .seconds(1)

    public init(client: APIClient, nodeName: String, logger: Logger) {
        self.client = client
        self.nodeName = nodeName
        self.logger = logger
    }

    /// Drains the node; gives up waiting after `timeout` (the agent then stops
    /// anyway, and the node lifecycle controller deals with what is left).
    /// - Returns: whether every evicted pod was gone in time.
    @discardableResult
    public func run(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        do {
            try await cordon()
        } catch {
            logger.error("drain: cannot cordon the node", metadata: ["node": "\(nodeName)", "error": "\(error)"])
            return false
        }
        // One round at least, so even a timeout already spent evicts once.
        repeat {
            do {
                let remaining = try await podsToEvict()
                if remaining.isEmpty {
                    logger.info("drain: node drained", metadata: ["node": "\(nodeName)"])
                    return true
                }
                for pod in remaining where pod.metadata.deletionTimestamp == nil { await evict(pod) }
            } catch {
                logger.warning("drain: cannot list the node's pods", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: retryInterval)
        } while ContinuousClock.now < deadline && !Task.isCancelled
        logger.warning("drain: timed out with pods left", metadata: ["node": "\(nodeName)"])
        return false
    }

    private func cordon() async throws(ClientError) {
        _ = try await client.patch(Node.self, nodeName, .merge, body: Array(#"{"spec":{"unschedulable":true}}"#.utf8))
        logger.info("drain: node cordoned", metadata: ["node": "\(nodeName)"])
    }

    /// The node's pods that a drain removes, including those already terminating.
    func podsToEvict() async throws(ClientError) -> [Pod] {
        let pods = try await client.list(Pod.self, options: ListOptions(fieldSelector: "spec.nodeName=\(nodeName)")).items
        return pods.filter { !Self.staysOnTheNode($0) }
    }

    /// DaemonSet pods belong on every node; mirror pods are the kubelet's own.
    static func staysOnTheNode(_ pod: Pod) -> Bool {
        if pod.metadata.annotations?["kubernetes.io/config.mirror"] != nil { return true }
        return pod.metadata.ownerReferences?.contains { $0.controller == true && $0.kind == DaemonSet.kind } == true
    }

    private func evict(_ pod: Pod) async {
        let name = pod.metadata.name ?? ""
        do {
            try await client.evict(pod: name, namespace: pod.metadata.namespace ?? "default")
            logger.info("drain: pod evicted", metadata: ["pod": "\(pod.metadata.namespace ?? "")/\(name)"])
        } catch {
            // 429: a disruption budget forbids it now; the next round tries again.
            if !error.isNotFound {
                logger.info("drain: eviction refused, retrying", metadata: ["pod": "\(name)", "error": "\(error)"])
            }
        }
    }
}
