import Logging
import SkiffAPI
import SkiffClient

/// Keeps one Endpoints object per Service with a selector — same name, the
/// service's labels, the selected pods' addresses in subsets — for clients that
/// predate EndpointSlices, as upstream's endpoints controller. Objects of more
/// than 1000 addresses are cut and annotated `endpoints.kubernetes.io/over-capacity: truncated`.
/// The key is the service's `namespace/name`.
public final class EndpointsController: Controller {
    public let name = "endpoints"
    public let queue = WorkQueue<String>()

    let client: APIClient
    let services: Informer<Service>
    let pods: Informer<Pod>
    let endpoints: Informer<Endpoints>
    let logger: Logger

    public init(client: APIClient, informers: SharedInformers, logger: Logger) {
        self.client = client
        self.logger = logger
        services = informers.informer(Service.self)
        pods = informers.informer(Pod.self)
        endpoints = informers.informer(Endpoints.self)
        services.addHandler { [weak self] event in
            switch event {
            case .added(let service), .updated(_, let service), .deleted(let service):
                self?.queue.add(ObjectKey.make(namespace: service.metadata.namespace, name: service.metadata.name))
            case .synced: break
            }
        }
        pods.addHandler { [weak self] event in
            switch event {
            case .added(let pod), .deleted(let pod): self?.enqueueServices(selecting: [pod])
            case .updated(let old, let new):
                guard old.metadata.resourceVersion != new.metadata.resourceVersion else { return }
                self?.enqueueServices(selecting: [old, new])
            case .synced: break
            }
        }
        // onEndpointsDelete: someone deleted an object we keep; make it again.
        endpoints.addHandler { [weak self] event in
            guard case .deleted(let deleted) = event, let self,
                self.services.get(deleted.metadata.name ?? "", namespace: deleted.metadata.namespace) != nil
            else { return }
            self.queue.add(ObjectKey.make(namespace: deleted.metadata.namespace, name: deleted.metadata.name))
        }
    }

    private func enqueueServices(selecting pods: [Pod]) {
        guard let namespace = pods.first?.metadata.namespace else { return }
        for service in services.list() where service.metadata.namespace == namespace {
            guard let selector = service.podSelector else { continue }
            if pods.contains(where: { selector.matches($0.metadata.labels ?? [:]) }) {
                queue.add(ObjectKey.make(namespace: namespace, name: service.metadata.name))
            }
        }
    }
}
