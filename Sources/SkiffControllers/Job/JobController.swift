import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// Runs each Job's pods to completion, as upstream's job controller: up to
/// `parallelism` pods at once until `completions` succeed (for Indexed jobs, one
/// per completion index), replacing failed pods after a growing delay until
/// more than `backoffLimit` failed, stopping at `activeDeadlineSeconds` and
/// while suspended. Pods carry the `batch.kubernetes.io/job-tracking` finalizer
/// until the status has counted them, so a pod deleted early is still counted.
public final class JobController: Controller {
    public let name = "job"
    public let queue = WorkQueue<String>()
    /// Upstream's defaults: a replacement after n consecutive failures waits 10 s × 2ⁿ⁻¹, at most 6 min.
    public static let defaultPodFailureBackoff = ExponentialBackoff(base: .seconds(10), maximum: .seconds(360))
    /// At most this many pods are created, or finished pods counted, in one sync.
    static let burst = 500
    /// Queue keys of orphan pods start with this (no name or namespace contains a colon).
    static let orphanPodPrefix = "pod:"

    let client: APIClient
    let jobs: Informer<Job>
    let pods: Informer<Pod>
    let events: EventRecorder?
    let logger: Logger
    let now: @Sendable () -> Time
    let podFailureBackoff: ExponentialBackoff
    let expectations = Expectations()
    /// Pods whose tracking finalizer this controller removed and whose update the
    /// informer has not shown yet: already counted, never to be counted again.
    let removedFinalizers = Mutex(Set<String>())
    /// Per job: failures since the last success and when the last one was seen.
    let failureRecords = Mutex([String: (failures: Int, last: Time)]())

    public init(
        client: APIClient, informers: SharedInformers, events: EventRecorder?, logger: Logger,
        podFailureBackoff: ExponentialBackoff = JobController.defaultPodFailureBackoff,
        now: @escaping @Sendable () -> Time = { Time.now() }
    ) {
        self.client = client
        self.events = events
        self.logger = logger
        self.now = now
        self.podFailureBackoff = podFailureBackoff
        jobs = informers.informer(Job.self)
        pods = informers.informer(Pod.self)
        jobs.addHandler { [weak self] event in self?.jobChanged(event) }
        pods.addHandler { [weak self] event in self?.podChanged(event) }
    }

    private func jobChanged(_ event: InformerEvent<Job>) {
        switch event {
        case .added(let job), .updated(_, let job):
            queue.add(ObjectKey.make(namespace: job.metadata.namespace, name: job.metadata.name))
        case .deleted(let job):
            let key = ObjectKey.make(namespace: job.metadata.namespace, name: job.metadata.name)
            expectations.remove(key)
            failureRecords.withLock { _ = $0.removeValue(forKey: key) }
            queue.add(key)
            for pod in pods.list() where pod.metadata.controllerReference?.uid == job.metadata.uid {
                enqueueIfOrphan(pod)
            }
        case .synced:
            break
        }
    }

    private func podChanged(_ event: InformerEvent<Pod>) {
        if case .added(let pod) = event { enqueueIfOrphan(pod) }
        if case .updated(_, let pod) = event { enqueueIfOrphan(pod) }
        switch event {
        case .added(let pod):
            guard let key = ownerKey(pod) else { return }
            if pod.metadata.deletionTimestamp != nil {
                expectations.deletionObserved(key, uid: pod.metadata.uid ?? "")
            } else {
                expectations.creationObserved(key)
            }
            queue.add(key)
        case .updated(let old, let new):
            if !JobPods.hasTrackingFinalizer(new) { finalizerRemovalObserved(new) }
            if new.metadata.deletionTimestamp != nil, let key = ownerKey(new) {
                expectations.deletionObserved(key, uid: new.metadata.uid ?? "")
            }
            if let key = ownerKey(old) { queue.add(key) }
            if let key = ownerKey(new) { queue.add(key) }
        case .deleted(let pod):
            finalizerRemovalObserved(pod)
            guard let key = ownerKey(pod) else { return }
            expectations.deletionObserved(key, uid: pod.metadata.uid ?? "")
            queue.add(key)
        case .synced:
            break
        }
    }

    /// A pod holding the tracking finalizer that no unfinished job of this
    /// controller will count any more (its job is gone or finished, or it has none)
    /// gets it removed by ``syncOrphanPod(_:)`` (upstream enqueueOrphanPod).
    private func enqueueIfOrphan(_ pod: Pod) {
        guard JobPods.hasTrackingFinalizer(pod) else { return }
        if let key = ownerKey(pod), let job = jobs.get(ObjectKey.split(key).name, namespace: pod.metadata.namespace), !job.isFinished {
            return
        }
        queue.add(Self.orphanPodPrefix + ObjectKey.make(namespace: pod.metadata.namespace, name: pod.metadata.name))
    }

    private func finalizerRemovalObserved(_ pod: Pod) {
        let uid = pod.metadata.uid ?? ""
        removedFinalizers.withLock { _ = $0.remove(uid) }
    }

    /// The key of the job a pod's controller reference names, if it is cached with that uid.
    private func ownerKey(_ pod: Pod) -> String? {
        guard let reference = pod.metadata.controllerReference, reference.kind == Job.kind,
            reference.apiVersion.hasPrefix("batch/"),
            let job = jobs.get(reference.name, namespace: pod.metadata.namespace), job.metadata.uid == reference.uid
        else { return nil }
        return ObjectKey.make(namespace: job.metadata.namespace, name: job.metadata.name)
    }

    func record(_ job: Job, _ type: EventRecorder.EventType, _ reason: String, _ message: String) {
        events?.record(ObjectReference(to: job), type: type, reason: reason, message: message)
    }
}
