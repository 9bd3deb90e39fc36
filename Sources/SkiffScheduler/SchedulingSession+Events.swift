import SkiffAPI
import SkiffClient

/// Informer events into the cache and the queue.
extension SchedulingSession {
    func handle(node event: InformerEvent<Node>) {
        switch event {
        case .added(let node):
            state.withLock { $0.cache.addOrUpdate(node: node) }
            queue.moveAllToActiveOrBackoff()
        case .updated(let old, let node):
            state.withLock { $0.cache.addOrUpdate(node: node) }
            if Self.schedulingRelevantChange(old, node) { queue.moveAllToActiveOrBackoff() }
        case .deleted(let node):
            let name = node.metadata.name ?? ""
            state.withLock { $0.cache.remove(node: name) }
        case .synced:
            break
        }
    }

    /// Heartbeats change a node's status every few seconds; only what filters
    /// read can make a waiting pod fit.
    static func schedulingRelevantChange(_ old: Node, _ new: Node) -> Bool {
        old.spec != new.spec || old.metadata.labels != new.metadata.labels
            || old.status.allocatable != new.status.allocatable || old.status.images != new.status.images
    }

    func handle(pod event: InformerEvent<Pod>) {
        switch event {
        case .added(let pod):
            update(pod, specChanged: true)
        case .updated(let old, let pod):
            update(pod, specChanged: old.spec != pod.spec || old.metadata.labels != pod.metadata.labels)
        case .deleted(let pod):
            let key = PodInfo.key(of: pod)
            queue.remove(key)
            let wasCounted = state.withLock { state in
                defer { state.cache.remove(pod: key) }
                return state.cache.nodeName(ofPod: key) != nil
            }
            if wasCounted { queue.moveAllToActiveOrBackoff() }
        case .synced:
            break
        }
    }

    /// `specChanged` false: only status or bookkeeping changed (e.g. our own
    /// PodScheduled=False), which cannot make a waiting pod fit.
    private func update(_ pod: Pod, specChanged: Bool) {
        let key = PodInfo.key(of: pod)
        if let node = pod.spec.nodeName, !node.isEmpty {
            queue.remove(key)
            let info = PodInfo(pod)
            let wasAssumed = state.withLock { state in
                defer { state.cache.addOrUpdate(boundPod: info) }
                return state.cache.isAssumed(key) && state.cache.nodeName(ofPod: key) == node
            }
            // A pod bound by someone else may be what a waiting pod's affinity needs.
            if !wasAssumed { queue.moveAllToActiveOrBackoff() }
            return
        }
        guard (pod.spec.schedulerName ?? Profile.defaultSchedulerName) == profile.schedulerName,
            pod.metadata.deletionTimestamp == nil, (pod.spec.schedulingGates ?? []).isEmpty
        else {
            queue.remove(key)
            return
        }
        if state.withLock({ $0.cache.isAssumed(key) }) { return }  // binding in flight
        queue.add(PodInfo(pod), requeueIfWaiting: specChanged)
    }
}

extension PodInfo {
    static func key(of pod: Pod) -> String {
        (pod.metadata.namespace ?? "default") + "/" + (pod.metadata.name ?? "")
    }
}
