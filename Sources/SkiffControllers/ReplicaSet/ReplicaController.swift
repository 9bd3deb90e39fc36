import Logging
import SkiffAPI
import SkiffClient

/// The replica set controller: keeps each ReplicaSet's pods at `spec.replicas`.
public typealias ReplicaSetController = ReplicaController<ReplicaSet>
/// The replication controller manager: the same for the legacy ReplicationController.
public typealias ReplicationManager = ReplicaController<ReplicationController>

/// Keeps each owner's number of pods at its desired replicas, as upstream's
/// replica set controller: it adopts orphan pods its selector matches and
/// releases pods it owns that no longer match, creates pods from the template
/// in slow-start batches, deletes the pods whose loss costs least, and reports
/// the counts and a ReplicaFailure condition in the status.
public final class ReplicaController<Owner: ReplicaOwner>: Controller {
    public var name: String { Owner.controllerName }
    public let queue = WorkQueue<String>()
    /// At most this many pods are created or deleted in one sync (upstream's burstReplicas).
    public static var burstReplicas: Int { 500 }

    let client: APIClient
    let replicaSets: Informer<Owner>
    let pods: Informer<Pod>
    let expectations = Expectations()
    let events: EventRecorder?
    let logger: Logger

    public init(client: APIClient, informers: SharedInformers, events: EventRecorder?, logger: Logger) {
        self.client = client
        self.events = events
        self.logger = logger
        replicaSets = informers.informer(Owner.self)
        pods = informers.informer(Pod.self)
        replicaSets.addHandler { [queue, expectations] event in queue.addOwner(event, forgetting: expectations) }
        pods.addHandler { [weak self] event in self?.podChanged(event) }
    }

    /// upstream addPod, updatePod and deletePod: observations settle expectations
    /// and wake the owner, or, for orphans, every replica set that could adopt them.
    private func podChanged(_ event: InformerEvent<Pod>) {
        switch event {
        case .added(let pod):
            if pod.metadata.deletionTimestamp != nil { return podDeleted(pod) }
            if let reference = pod.metadata.controllerReference {
                guard let owner = owner(of: pod, reference) else { return }
                let key = ObjectKey.make(namespace: owner.metadata.namespace, name: owner.metadata.name)
                expectations.creationObserved(key)
                queue.add(key)
                return
            }
            enqueueMatching(pod)
        case .updated(let old, let new):
            if old.metadata.resourceVersion == new.metadata.resourceVersion { return }
            if new.metadata.deletionTimestamp != nil && old.metadata.deletionTimestamp == nil {
                podDeleted(new)
                if old.metadata.labels != new.metadata.labels { enqueueMatching(old) }
                return
            }
            let oldReference = old.metadata.controllerReference
            let newReference = new.metadata.controllerReference
            if let oldReference, oldReference != newReference, let owner = owner(of: old, oldReference) {
                queue.add(ObjectKey.make(namespace: owner.metadata.namespace, name: owner.metadata.name))
            }
            if let newReference {
                guard let owner = owner(of: new, newReference) else { return }
                let key = ObjectKey.make(namespace: owner.metadata.namespace, name: owner.metadata.name)
                queue.add(key)
                // Becoming available takes minReadySeconds after becoming ready: look again then.
                let minReady = owner.minReadySeconds
                if !old.isReady && new.isReady && minReady > 0 { queue.add(key, after: .seconds(Int(minReady) + 1)) }
                return
            }
            if old.metadata.labels != new.metadata.labels || oldReference != newReference { enqueueMatching(new) }
        case .deleted(let pod):
            podDeleted(pod)
        case .synced:
            break
        }
    }

    private func podDeleted(_ pod: Pod) {
        guard let reference = pod.metadata.controllerReference, let owner = owner(of: pod, reference) else { return }
        let key = ObjectKey.make(namespace: owner.metadata.namespace, name: owner.metadata.name)
        expectations.deletionObserved(key, uid: pod.metadata.uid ?? "")
        queue.add(key)
    }

    /// The owner a controller reference names, if it is one and still exists with that uid.
    private func owner(of pod: Pod, _ reference: OwnerReference) -> Owner? {
        guard Owner.isNamed(by: reference),
            let set = replicaSets.get(reference.name, namespace: pod.metadata.namespace),
            set.metadata.uid == reference.uid
        else { return nil }
        return set
    }

    private func enqueueMatching(_ pod: Pod) {
        let labels = pod.metadata.labels ?? [:]
        for set in replicaSets.list() where set.metadata.namespace == pod.metadata.namespace {
            guard let selector = try? set.podSelector(), !selector.isEmpty, selector.matches(labels)
            else { continue }
            queue.add(ObjectKey.make(namespace: set.metadata.namespace, name: set.metadata.name))
        }
    }
}
