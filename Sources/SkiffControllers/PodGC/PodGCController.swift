import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// Removes pods no one else will, as upstream's pod garbage collector, every
/// gc period: terminated pods beyond the threshold (oldest first); pods bound
/// to a node that has been gone for the quarantine time (confirmed with the API,
/// not just the cache); terminating pods on a node that is not ready and carries
/// the `node.kubernetes.io/out-of-service` taint; and terminating pods that were
/// never scheduled. All are force-deleted (grace period 0); pods that had not
/// finished are first marked Failed with a DisruptionTarget condition.
public final class PodGCController: Controller {
    public let name = "podgc"
    public let queue = WorkQueue<String>()
    static let passKey = "gc"
    static let outOfServiceTaint = "node.kubernetes.io/out-of-service"

    let client: APIClient
    let nodes: Informer<Node>
    let pods: Informer<Pod>
    let logger: Logger
    let threshold: Int
    let period: Duration
    let quarantine: Duration
    /// Nodes that pods name but the cache lacks, and since when.
    private let missingSince = Mutex([String: ContinuousClock.Instant]())

    public init(
        client: APIClient, informers: SharedInformers, terminatedPodThreshold: Int, period: Duration,
        quarantine: Duration, logger: Logger
    ) {
        self.client = client
        self.logger = logger
        self.threshold = terminatedPodThreshold
        self.period = period
        self.quarantine = quarantine
        nodes = informers.informer(Node.self)
        pods = informers.informer(Pod.self)
        queue.add(Self.passKey)
    }

    public func sync(_ key: String) async throws {
        queue.add(Self.passKey, after: period)
        let all = pods.list()
        var failure: (any Error)?
        func attempt(_ step: () async throws -> Void) async {
            do { try await step() } catch { if failure == nil { failure = error } }
        }
        await attempt { try await collectTerminated(all) }
        await attempt { try await collectOutOfService(all) }
        await attempt { try await collectOrphaned(all) }
        await attempt { try await collectUnscheduledTerminating(all) }
        if let failure { throw failure }
    }

    /// Succeeded and Failed pods beyond the threshold, oldest first.
    private func collectTerminated(_ all: [Pod]) async throws {
        guard threshold > 0 else { return }
        let terminated = all.filter { ["Succeeded", "Failed"].contains($0.status.phase ?? "") }
        guard terminated.count > threshold else { return }
        let oldestFirst = terminated.sorted {
            ($0.metadata.creationTimestamp ?? Time(nanosecondsSinceEpoch: 0), $0.metadata.name ?? "")
                < ($1.metadata.creationTimestamp ?? Time(nanosecondsSinceEpoch: 0), $1.metadata.name ?? "")
        }
        logger.info("deleting terminated pods over the threshold", metadata: ["count": "\(terminated.count - threshold)"])
        for pod in oldestFirst.prefix(terminated.count - threshold) {
            try await forceDelete(pod, why: nil)
        }
    }

    /// Terminating pods whose node is not ready and declared out of service: no
    /// kubelet will finish them.
    private func collectOutOfService(_ all: [Pod]) async throws {
        for pod in all where pod.metadata.deletionTimestamp != nil {
            guard let name = pod.spec.nodeName, let node = nodes.get(name),
                node.condition("Ready")?.status != "True",
                (node.spec.taints ?? []).contains(where: { $0.key == Self.outOfServiceTaint })
            else { continue }
            try await forceDelete(pod, why: "PodGC: node is out-of-service")
        }
    }

    /// Pods bound to a node that is gone, once it has stayed gone for the quarantine.
    private func collectOrphaned(_ all: [Pod]) async throws {
        let existing = Set(nodes.list().compactMap(\.metadata.name))
        let named = Set(all.compactMap(\.spec.nodeName).filter { !$0.isEmpty && !existing.contains($0) })
        let now = ContinuousClock.now
        let quarantined = missingSince.withLock { missing in
            missing = missing.filter { named.contains($0.key) }
            for name in named where missing[name] == nil { missing[name] = now }
            return missing.filter { now - $0.value >= quarantine }.map(\.key)
        }
        for name in quarantined {
            do {
                _ = try await client.get(Node.self, name)
                continue
            } catch {
                if !error.isNotFound { throw error }
            }
            for pod in all where pod.spec.nodeName == name {
                logger.info("deleting orphaned pod", metadata: ["pod": "\(pod.metadata.namespace ?? "")/\(pod.metadata.name ?? "")", "node": "\(name)"])
                try await forceDelete(pod, why: "PodGC: node no longer exists")
            }
        }
    }

    /// Pods being deleted that no node ever ran.
    private func collectUnscheduledTerminating(_ all: [Pod]) async throws {
        for pod in all where pod.metadata.deletionTimestamp != nil && (pod.spec.nodeName ?? "").isEmpty {
            try await forceDelete(pod, why: nil)
        }
    }

    /// Upstream's markFailedAndDeletePodWithCondition: a pod that had not finished
    /// is marked Failed with the reason, then it is deleted with grace period 0.
    private func forceDelete(_ pod: Pod, why message: String?) async throws {
        do {
            let finished = ["Succeeded", "Failed"].contains(pod.status.phase ?? "")
            if let message, !finished {
                var failed = pod
                var condition = PodCondition(type: "DisruptionTarget", status: "True", lastTransitionTime: .now())
                condition.reason = "DeletionByPodGC"
                condition.message = message
                failed.status.conditions = (pod.status.conditions ?? []).filter { $0.type != "DisruptionTarget" } + [condition]
                failed.status.phase = "Failed"
                try await client.updateStatus(failed)
            }
            var options = DeleteOptions()
            options.gracePeriodSeconds = 0
            var preconditions = Preconditions()
            preconditions.uid = pod.metadata.uid
            options.preconditions = preconditions
            try await client.delete(Pod.self, pod.metadata.name ?? "", namespace: pod.metadata.namespace, options: options)
        } catch {
            if !error.isNotFound { throw error }
        }
    }
}
