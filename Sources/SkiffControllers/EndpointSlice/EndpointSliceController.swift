import Logging
import SkiffAPI
import SkiffClient

/// Keeps, for every Service with a selector, EndpointSlices listing the pods it
/// selects, as upstream's endpointslice controller: one or more slices per
/// address type and per set of resolved ports, at most ``maxEndpointsPerSlice``
/// endpoints each, labelled `kubernetes.io/service-name` and
/// `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`,
/// owned by the service. The key is the service's `namespace/name`.
public final class EndpointSliceController: Controller {
    public let name = "endpointslice"
    public let queue = WorkQueue<String>()
    /// Upstream's --max-endpoints-per-slice default.
    public static let defaultMaxEndpointsPerSlice = 100

    let client: APIClient
    let services: Informer<Service>
    let pods: Informer<Pod>
    let nodes: Informer<Node>
    let slices: Informer<EndpointSlice>
    let reconciler: SliceReconciler
    let tracker = SliceTracker()
    let logger: Logger

    public init(
        client: APIClient, informers: SharedInformers, logger: Logger,
        maxEndpointsPerSlice: Int = EndpointSliceController.defaultMaxEndpointsPerSlice
    ) {
        self.client = client
        self.logger = logger
        reconciler = SliceReconciler(maxEndpointsPerSlice: maxEndpointsPerSlice)
        services = informers.informer(Service.self)
        pods = informers.informer(Pod.self)
        nodes = informers.informer(Node.self)
        slices = informers.informer(EndpointSlice.self)
        services.addHandler { [weak self] event in
            switch event {
            case .added(let service), .updated(_, let service), .deleted(let service): self?.enqueue(service)
            case .synced: break
            }
        }
        pods.addHandler { [weak self] event in self?.podChanged(event) }
        nodes.addHandler { [weak self] event in self?.nodeChanged(event) }
        slices.addHandler { [weak self] event in self?.sliceChanged(event) }
    }

    private func enqueue(_ service: Service) {
        queue.add(ObjectKey.make(namespace: service.metadata.namespace, name: service.metadata.name))
    }

    /// getPodServiceMemberships for the old and the new pod: every service whose
    /// selector matches either.
    private func podChanged(_ event: InformerEvent<Pod>) {
        switch event {
        case .added(let pod), .deleted(let pod):
            enqueueServices(selecting: [pod])
        case .updated(let old, let new):
            guard old.metadata.resourceVersion != new.metadata.resourceVersion else { return }
            enqueueServices(selecting: old.metadata.labels == new.metadata.labels ? [new] : [old, new])
        case .synced:
            break
        }
    }

    func enqueueServices(selecting pods: [Pod]) {
        guard let namespace = pods.first?.metadata.namespace else { return }
        for service in services.list() where service.metadata.namespace == namespace {
            guard let selector = service.podSelector else { continue }
            if pods.contains(where: { selector.matches($0.metadata.labels ?? [:]) }) { enqueue(service) }
        }
    }

    /// A node that arrives, goes or changes zone changes the endpoints of its pods.
    private func nodeChanged(_ event: InformerEvent<Node>) {
        let node: Node
        switch event {
        case .added(let added), .deleted(let added): node = added
        case .updated(let old, let new):
            let zone = SliceEndpoints.zoneLabel
            guard old.metadata.labels?[zone] != new.metadata.labels?[zone] else { return }
            node = new
        case .synced: return
        }
        let onNode = pods.list().filter { $0.spec.nodeName == node.metadata.name }
        for pods in Dictionary(grouping: onNode, by: { $0.metadata.namespace ?? "" }).values {
            enqueueServices(selecting: pods)
        }
    }

    /// Slices changed by anyone but this controller wake their service.
    private func sliceChanged(_ event: InformerEvent<EndpointSlice>) {
        switch event {
        case .added(let slice), .updated(_, let slice):
            guard let key = Self.serviceKey(of: slice), tracker.isForeignChange(slice, service: key) else { return }
            queue.add(key)
        case .deleted(let slice):
            guard let key = Self.serviceKey(of: slice), tracker.deletionWasForeign(slice, service: key) else { return }
            queue.add(key)
        case .synced:
            break
        }
    }

    /// The service of a slice this controller manages.
    static func serviceKey(of slice: EndpointSlice) -> String? {
        let labels = slice.metadata.labels ?? [:]
        guard labels[SliceLabels.managedBy] == SliceLabels.controllerName,
            let service = labels[SliceLabels.serviceName], !service.isEmpty
        else { return nil }
        return ObjectKey.make(namespace: slice.metadata.namespace, name: service)
    }
}
