import SkiffAPI

/// The node's pod workers by pod uid: a worker starts when a pod first shows up
/// bound to this node and ends when the pod is finished here.
actor PodWorkers {
    private let services: PodServices
    private var workers: [String: PodWorker] = [:]
    private var tasks: [String: Task<Void, Never>] = [:]

    init(services: PodServices) {
        self.services = services
    }

    /// A pod was added or changed.
    func observe(_ pod: Pod) async {
        guard let uid = pod.metadata.uid, !uid.isEmpty else { return }
        if let worker = workers[uid] {
            await worker.update(pod)
            return
        }
        let worker = PodWorker(pod: pod, services: services)
        workers[uid] = worker
        await services.probes.addPod(pod)
        tasks[uid] = Task {
            await worker.run()
            await self.finished(uid)
        }
    }

    /// The API no longer has the pod.
    func removed(_ pod: Pod) async {
        guard let uid = pod.metadata.uid, let worker = workers[uid] else { return }
        await worker.markRemovedFromAPI()
    }

    /// A probe's event (Unhealthy, ProbeWarning), recorded against its pod.
    func record(_ probeEvent: ProbeEvent) async {
        await workers[probeEvent.podUID]?.event(
            .warning, probeEvent.reason, probeEvent.message, container: probeEvent.containerName)
    }

    /// Wakes the workers of these pods (their containers changed state).
    func wake(_ uids: some Sequence<String>) {
        for uid in uids { workers[uid]?.wake() }
    }

    var activeUIDs: Set<String> { Set(workers.keys) }

    /// Cancels every worker and waits for them; containers keep running.
    func stopAll() async {
        let running = Array(tasks.values)
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    private func finished(_ uid: String) async {
        workers[uid] = nil
        tasks[uid] = nil
        await services.probes.removePod(uid: uid)
    }
}
