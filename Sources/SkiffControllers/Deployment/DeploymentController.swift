import Logging
import SkiffAPI
import SkiffClient

/// Rolls deployments out through replica sets, as upstream's deployment
/// controller: a replica set per pod template (named and labelled with its
/// `pod-template-hash`), RollingUpdate within maxSurge and maxUnavailable or
/// Recreate, revisions, proportional scaling of a rollout in flight, pause,
/// cleanup of old sets past revisionHistoryLimit, and the status and
/// conditions `kubectl rollout status` reads. The replica set controller makes
/// the pods.
public final class DeploymentController: Controller {
    public let name = "deployment"
    public let queue = WorkQueue<String>()

    let client: APIClient
    let deployments: Informer<Deployment>
    let replicaSets: Informer<ReplicaSet>
    let pods: Informer<Pod>
    let events: EventRecorder?
    let logger: Logger

    public init(client: APIClient, informers: SharedInformers, events: EventRecorder?, logger: Logger) {
        self.client = client
        self.events = events
        self.logger = logger
        deployments = informers.informer(Deployment.self)
        replicaSets = informers.informer(ReplicaSet.self)
        pods = informers.informer(Pod.self)
        deployments.addHandler { [weak self] event in
            switch event {
            case .added(let deployment), .updated(_, let deployment), .deleted(let deployment): self?.enqueue(deployment)
            case .synced: break
            }
        }
        replicaSets.addHandler { [weak self] event in self?.replicaSetChanged(event) }
        pods.addHandler { [weak self] event in self?.podChanged(event) }
    }

    func enqueue(_ deployment: Deployment) {
        queue.add(ObjectKey.make(namespace: deployment.metadata.namespace, name: deployment.metadata.name))
    }

    /// upstream addReplicaSet, updateReplicaSet, deleteReplicaSet: wake the owner,
    /// or every deployment that could adopt an orphan.
    private func replicaSetChanged(_ event: InformerEvent<ReplicaSet>) {
        switch event {
        case .added(let set), .deleted(let set):
            if let owner = owner(of: set) { enqueue(owner) } else if set.metadata.controllerReference == nil { enqueueMatching(set) }
        case .updated(let old, let new):
            if old.metadata.resourceVersion == new.metadata.resourceVersion { return }
            let oldOwner = owner(of: old)
            let newOwner = owner(of: new)
            if let oldOwner, oldOwner.metadata.uid != newOwner?.metadata.uid { enqueue(oldOwner) }
            if let newOwner {
                enqueue(newOwner)
            } else if new.metadata.controllerReference == nil,
                old.metadata.labels != new.metadata.labels || old.metadata.controllerReference != nil
            {
                enqueueMatching(new)
            }
        case .synced:
            break
        }
    }

    /// A Recreate deployment waits for its old pods to be gone: look again when one goes.
    private func podChanged(_ event: InformerEvent<Pod>) {
        guard case .deleted(let pod) = event, let reference = pod.metadata.controllerReference,
            reference.kind == ReplicaSet.kind,
            let set = replicaSets.get(reference.name, namespace: pod.metadata.namespace), set.metadata.uid == reference.uid,
            let owner = owner(of: set), owner.spec.strategy.type == "Recreate"
        else { return }
        enqueue(owner)
    }

    func owner(of set: ReplicaSet) -> Deployment? {
        guard let reference = set.metadata.controllerReference, reference.kind == Deployment.kind,
            let deployment = deployments.get(reference.name, namespace: set.metadata.namespace),
            deployment.metadata.uid == reference.uid
        else { return nil }
        return deployment
    }

    private func enqueueMatching(_ set: ReplicaSet) {
        let labels = set.metadata.labels ?? [:]
        for deployment in deployments.list() where deployment.metadata.namespace == set.metadata.namespace {
            guard let selector = try? Labels.Selector(deployment.spec.selector), !selector.isEmpty, selector.matches(labels)
            else { continue }
            enqueue(deployment)
        }
    }

    func record(_ deployment: Deployment, _ type: EventRecorder.EventType, _ reason: String, _ message: String) {
        events?.record(ObjectReference(to: deployment), type: type, reason: reason, message: message)
    }
}
