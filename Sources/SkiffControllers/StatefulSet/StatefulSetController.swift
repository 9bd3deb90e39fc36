import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// Runs each StatefulSet's pods with stable names `<set>-0 … <set>-(n-1)`, as
/// upstream's stateful set controller: OrderedReady creates them one at a
/// time, each Running and Ready before the next, and removes them from the
/// highest ordinal; Parallel does both at once; a failed or deleted pod comes
/// back under its name; a new template replaces pods from the highest ordinal
/// down to the partition (RollingUpdate) or as they are deleted (OnDelete).
/// Persistent volume claims are not made yet.
public final class StatefulSetController: Controller {
    public let name = "statefulset"
    public let queue = WorkQueue<String>()

    let client: APIClient
    let statefulSets: Informer<StatefulSet>
    let pods: Informer<Pod>
    let revisions: Informer<ControllerRevision>
    let events: EventRecorder?
    let logger: Logger
    /// Sets already told that their volumeClaimTemplates are ignored (by uid).
    let warnedAboutClaims = Mutex(Set<String>())

    public init(client: APIClient, informers: SharedInformers, events: EventRecorder?, logger: Logger) {
        self.client = client
        self.events = events
        self.logger = logger
        statefulSets = informers.informer(StatefulSet.self)
        pods = informers.informer(Pod.self)
        revisions = informers.informer(ControllerRevision.self)
        statefulSets.addHandler { [weak self] event in self?.statefulSetChanged(event) }
        pods.addHandler { [weak self] event in self?.podChanged(event) }
    }

    private func statefulSetChanged(_ event: InformerEvent<StatefulSet>) {
        switch event {
        case .added(let set), .updated(_, let set), .deleted(let set):
            queue.add(ObjectKey.make(namespace: set.metadata.namespace, name: set.metadata.name))
        case .synced:
            break
        }
    }

    private func podChanged(_ event: InformerEvent<Pod>) {
        switch event {
        case .added(let pod), .deleted(let pod):
            enqueueOwner(of: pod)
        case .updated(let old, let new):
            if old.metadata.resourceVersion == new.metadata.resourceVersion { return }
            enqueueOwner(of: old)
            enqueueOwner(of: new)
        case .synced:
            break
        }
    }

    /// Wakes the controlling set, or for an orphan every set in its namespace (which may adopt it).
    private func enqueueOwner(of pod: Pod) {
        if let reference = pod.metadata.controllerReference {
            guard reference.kind == StatefulSet.kind, reference.apiVersion.hasPrefix("apps/") else { return }
            queue.add(ObjectKey.make(namespace: pod.metadata.namespace, name: reference.name))
            return
        }
        for set in statefulSets.list() where set.metadata.namespace == pod.metadata.namespace {
            queue.add(ObjectKey.make(namespace: set.metadata.namespace, name: set.metadata.name))
        }
    }

    func record(_ set: StatefulSet, _ type: EventRecorder.EventType, _ reason: String, _ message: String) {
        events?.record(ObjectReference(to: set), type: type, reason: reason, message: message)
    }
}
