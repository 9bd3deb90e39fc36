import Foundation
import SkiffAPI

/// The kubelet's probes: a worker per container and kind of probe, their results,
/// and the container's started and ready standing computed from them, as upstream's
/// prober manager keeps them. The core adds pods, sends their status as it changes,
/// and reads `notifications` (which it must keep reading: they are not dropped).
public actor ProbeManager {
    public nonisolated let notifications: AsyncStream<ProbeNotification>
    private let continuation: AsyncStream<ProbeNotification>.Continuation
    private let prober: any ContainerProbing
    private let clock: any ProbeClock
    private let kubeletStartedAt: Date

    private var workers: [ProbeWorkerKey: (worker: ProbeWorker, task: Task<Void, Never>)] = [:]
    private var statuses: [String: ProbedPodStatus] = [:]
    private var results: [ProbeWorkerKey: (containerID: String, state: ProbeState)] = [:]

    /// `kubeletStartedAt` (default: now): workers added within a period of it start
    /// after a random part of their period, so a restarted kubelet does not probe
    /// every container at once.
    public init(prober: any ContainerProbing, clock: any ProbeClock = SystemProbeClock(), kubeletStartedAt: Date? = nil) {
        (notifications, continuation) = AsyncStream.makeStream(of: ProbeNotification.self)
        self.prober = prober
        self.clock = clock
        self.kubeletStartedAt = kubeletStartedAt ?? clock.now
    }

    // MARK: What the core calls

    /// Starts workers for the probes of the pod's containers and sidecars (init
    /// containers that restart always); a worker that exists already is kept.
    public func addPod(_ pod: Pod) {
        guard let uid = pod.metadata.uid else { return }
        let sidecars = (pod.spec.initContainers ?? []).filter { $0.restartPolicy == "Always" }
        for container in sidecars + pod.spec.containers {
            let probes: [(ProbeKind, Probe?)] = [
                (.startup, container.startupProbe), (.liveness, container.livenessProbe),
                (.readiness, container.readinessProbe),
            ]
            for case let (kind, probe?) in probes {
                let key = ProbeWorkerKey(podUID: uid, containerName: container.name, kind: kind)
                guard workers[key] == nil else { continue }
                let worker = ProbeWorker(
                    podUID: uid, container: container, kind: kind, probe: probe,
                    neverRestarts: pod.spec.restartPolicy == "Never", prober: prober, clock: clock, manager: self)
                let firstDelay = firstProbeDelay(period: worker.period)
                workers[key] = (worker, Task { await worker.run(firstDelay: firstDelay) })
            }
        }
    }

    /// The pod's latest status, as its workers go by.
    public func updatePodStatus(uid: String, _ status: ProbedPodStatus) {
        statuses[uid] = status
    }

    /// Stops the pod's workers and forgets its results.
    public func removePod(uid: String) {
        for (key, entry) in workers where key.podUID == uid {
            entry.task.cancel()
            workers[key] = nil
        }
        results = results.filter { $0.key.podUID != uid }
        statuses[uid] = nil
    }

    /// Stops every worker and ends `notifications`.
    public func stop() {
        for entry in workers.values { entry.task.cancel() }
        workers.removeAll()
        results.removeAll()
        statuses.removeAll()
        continuation.finish()
    }

    // MARK: What the core reads

    /// The standing of the container's current incarnation for one kind of probe; nil
    /// before its worker has seen it (or when it has none).
    public func state(_ kind: ProbeKind, podUID: String, containerName: String) -> ProbeState? {
        let key = ProbeWorkerKey(podUID: podUID, containerName: containerName, kind: kind)
        guard let result = results[key], result.containerID == currentContainerID(podUID, containerName) else { return nil }
        return result.state
    }

    /// Started: running, and its startup probe succeeded or it has none.
    public func isStarted(podUID: String, containerName: String) -> Bool {
        guard case .running = statuses[podUID]?.containers[containerName]?.state else { return false }
        if let state = state(.startup, podUID: podUID, containerName: containerName) { return state == .success }
        return workers[ProbeWorkerKey(podUID: podUID, containerName: containerName, kind: .startup)] == nil
    }

    /// Ready: started, and its readiness probe succeeded or it has none.
    public func isReady(podUID: String, containerName: String) -> Bool {
        guard isStarted(podUID: podUID, containerName: containerName) else { return false }
        if let state = state(.readiness, podUID: podUID, containerName: containerName) { return state == .success }
        return workers[ProbeWorkerKey(podUID: podUID, containerName: containerName, kind: .readiness)] == nil
    }

    /// The pods and containers probes run for, for inspection.
    public var workerKeys: Set<ProbeWorkerKey> { Set(workers.keys) }

    // MARK: What workers call

    struct WorkerInput: Sendable {
        var pod: ProbedPodStatus
        var started: Bool
    }

    func workerInput(for key: ProbeWorkerKey) -> WorkerInput? {
        guard let pod = statuses[key.podUID] else { return nil }
        return WorkerInput(pod: pod, started: isStarted(podUID: key.podUID, containerName: key.containerName))
    }

    /// Sets a container's standing; the core hears of it when it changed.
    func record(_ state: ProbeState, for key: ProbeWorkerKey, containerID: String, failureMessage: String? = nil) {
        // A worker that was removed while it probed has no say any more.
        guard workers[key] != nil else { return }
        if let previous = results[key], previous.containerID == containerID, previous.state == state { return }
        results[key] = (containerID, state)
        continuation.yield(.changed(ProbeUpdate(
            podUID: key.podUID, containerName: key.containerName, containerID: containerID, kind: key.kind,
            state: state, failureMessage: state == .failure ? failureMessage : nil)))
    }

    func emit(_ event: ProbeEvent) {
        guard workers[ProbeWorkerKey(podUID: event.podUID, containerName: event.containerName, kind: event.kind)] != nil
        else { return }
        continuation.yield(.event(event))
    }

    /// A worker ended on its own (its pod ended) or was stopped.
    func workerEnded(_ worker: ProbeWorker, containerID: String?) {
        let key = worker.key
        guard let entry = workers[key], entry.worker === worker else { return }
        workers[key] = nil
        if let result = results[key], result.containerID == containerID { results[key] = nil }
    }

    // MARK: Internals

    private func currentContainerID(_ podUID: String, _ containerName: String) -> String? {
        statuses[podUID]?.containers[containerName]?.containerID
    }

    private func firstProbeDelay(period: Duration) -> Duration {
        guard clock.now.timeIntervalSince(kubeletStartedAt) < period.seconds else { return .zero }
        return .seconds(Double.random(in: 0..<period.seconds))
    }
}
