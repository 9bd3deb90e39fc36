import Logging
import SkiffAPI
import SkiffClient

/// Runs one pod of each DaemonSet on every node it is eligible for, as
/// upstream's daemon set controller: pods appear on new nodes and go from
/// nodes that are deleted or no longer eligible, a new template replaces pods
/// node by node (RollingUpdate with maxUnavailable) or when they are deleted
/// (OnDelete), and the status counts what `kubectl rollout status` reads.
public final class DaemonSetController: Controller {
    public let name = "daemonset"
    public let queue = WorkQueue<String>()

    let client: APIClient
    let daemonSets: Informer<DaemonSet>
    let pods: Informer<Pod>
    let nodes: Informer<Node>
    let revisions: Informer<ControllerRevision>
    let expectations = Expectations()
    let events: EventRecorder?
    let logger: Logger

    public init(client: APIClient, informers: SharedInformers, events: EventRecorder?, logger: Logger) {
        self.client = client
        self.events = events
        self.logger = logger
        daemonSets = informers.informer(DaemonSet.self)
        pods = informers.informer(Pod.self)
        nodes = informers.informer(Node.self)
        revisions = informers.informer(ControllerRevision.self)
        daemonSets.addHandler { [queue, expectations] event in queue.addOwner(event, forgetting: expectations) }
        pods.addHandler { [weak self] event in self?.podChanged(event) }
        nodes.addHandler { [weak self] event in self?.nodeChanged(event) }
    }

    /// Observations settle expectations and wake the owner; an orphan wakes
    /// every daemon set in its namespace, which may adopt it.
    private func podChanged(_ event: InformerEvent<Pod>) {
        switch event {
        case .added(let pod):
            guard let key = ownerKey(of: pod) else { return enqueueNamespace(of: pod) }
            if pod.metadata.deletionTimestamp != nil {
                expectations.deletionObserved(key, uid: pod.metadata.uid ?? "")
            } else {
                expectations.creationObserved(key)
            }
            queue.add(key)
        case .updated(let old, let new):
            if old.metadata.resourceVersion == new.metadata.resourceVersion { return }
            if new.metadata.deletionTimestamp != nil, old.metadata.deletionTimestamp == nil, let key = ownerKey(of: new) {
                expectations.deletionObserved(key, uid: new.metadata.uid ?? "")
            }
            if let key = ownerKey(of: old) { queue.add(key) }
            if let key = ownerKey(of: new) {
                queue.add(key)
                let minReady = daemonSets.get(ObjectKey.split(key).name, namespace: new.metadata.namespace)?.spec.minReadySeconds ?? 0
                if !old.isReady && new.isReady && minReady > 0 { queue.add(key, after: .seconds(Int(minReady) + 1)) }
            } else {
                enqueueNamespace(of: new)
            }
        case .deleted(let pod):
            guard let key = ownerKey(of: pod) else { return }
            expectations.deletionObserved(key, uid: pod.metadata.uid ?? "")
            queue.add(key)
        case .synced:
            break
        }
    }

    /// Any node change can change where daemon pods belong.
    private func nodeChanged(_ event: InformerEvent<Node>) {
        switch event {
        case .added, .updated, .deleted:
            for set in daemonSets.list() { queue.add(ObjectKey.make(namespace: set.metadata.namespace, name: set.metadata.name)) }
        case .synced:
            break
        }
    }

    /// The key of the daemon set that controls the pod, if it still exists with that uid.
    private func ownerKey(of pod: Pod) -> String? {
        guard let reference = pod.metadata.controllerReference, reference.kind == DaemonSet.kind,
            reference.apiVersion.hasPrefix("apps/"),
            let set = daemonSets.get(reference.name, namespace: pod.metadata.namespace), set.metadata.uid == reference.uid
        else { return nil }
        return ObjectKey.make(namespace: set.metadata.namespace, name: set.metadata.name)
    }

    private func enqueueNamespace(of pod: Pod) {
        guard pod.metadata.controllerReference == nil else { return }
        for set in daemonSets.list() where set.metadata.namespace == pod.metadata.namespace {
            queue.add(ObjectKey.make(namespace: set.metadata.namespace, name: set.metadata.name))
        }
    }

    func record(_ set: DaemonSet, _ type: EventRecorder.EventType, _ reason: String, _ message: String) {
        events?.record(ObjectReference(to: set), type: type, reason: reason, message: message)
    }
}
