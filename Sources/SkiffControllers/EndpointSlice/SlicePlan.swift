import SkiffAPI

/// The writes that bring a service's endpoint slices in line with its pods.
struct SlicePlan: Equatable {
    var create: [EndpointSlice] = []
    var update: [EndpointSlice] = []
    var delete: [EndpointSlice] = []
    /// Pods left out because their node is not known yet; the service is looked at again.
    var podsWithUnknownNodes: [String] = []

    var isEmpty: Bool { create.isEmpty && update.isEmpty && delete.isEmpty }

    /// upstream finalize: a slice about to be created replaces one about to be
    /// deleted (same address type, owned by this service) by an update of it, so
    /// names stay stable and nothing disappears between two writes.
    mutating func reuseDeletedSlices(ownedBy service: Service) {
        var index = 0
        while index < delete.count, let replacement = create.last {
            let old = delete[index]
            guard old.addressType == replacement.addressType, SliceLabels.isOwned(old, by: service) else {
                index += 1
                continue
            }
            var reused = replacement
            reused.metadata = old.metadata
            reused.metadata.labels = replacement.metadata.labels
            create.removeLast()
            update.append(reused)
            delete.remove(at: index)
        }
    }
}

/// Labels, ownership and the shape of new slices (upstream's newEndpointSlice
/// and setEndpointSliceLabels).
enum SliceLabels {
    static let serviceName = "kubernetes.io/service-name"
    static let managedBy = "endpointslice.kubernetes.io/managed-by"
    static let headless = "service.kubernetes.io/headless"
    /// The managed-by value of upstream's controller, which kube-proxy and others look for.
    static let controllerName = "endpointslice-controller.k8s.io"

    /// The service's labels without the reserved ones, the headless label when
    /// the service has no cluster IP, and the service name and manager.
    static func labels(for service: Service) -> [String: String] {
        var labels = (service.metadata.labels ?? [:]).filter { ![serviceName, managedBy, headless].contains($0.key) }
        if !service.hasClusterIP { labels[headless] = "" }
        labels[serviceName] = service.metadata.name ?? ""
        labels[managedBy] = controllerName
        return labels
    }

    /// A new, empty slice for the service: generateName `<service>-`, its labels
    /// and a controller reference to it.
    static func newSlice(for service: Service, addressType: String, ports: [EndpointSlicePort]) -> EndpointSlice {
        var slice = EndpointSlice()
        slice.metadata.namespace = service.metadata.namespace
        let name = service.metadata.name ?? ""
        // A name too long to take the dash and five random characters is used as is.
        slice.metadata.generateName = name.count < 253 ? name + "-" : name
        slice.metadata.labels = labels(for: service)
        slice.metadata.ownerReferences = [
            OwnerReference(
                apiVersion: Service.apiVersion, kind: Service.kind, name: name, uid: service.metadata.uid ?? "",
                controller: true, blockOwnerDeletion: true)
        ]
        slice.addressType = addressType
        slice.ports = ports
        return slice
    }

    /// ownedBy: an owner reference to this very service (by uid).
    static func isOwned(_ slice: EndpointSlice, by service: Service) -> Bool {
        (slice.metadata.ownerReferences ?? []).contains {
            $0.uid == service.metadata.uid && $0.kind == Service.kind && $0.apiVersion == Service.apiVersion
        }
    }

    /// placeholderSliceCompare: an existing slice that already is the empty
    /// placeholder (same namespace, labels, owner, type, no ports, no endpoints).
    static func isPlaceholder(_ slice: EndpointSlice, like placeholder: EndpointSlice) -> Bool {
        slice.metadata.namespace == placeholder.metadata.namespace
            && (slice.metadata.labels ?? [:]) == (placeholder.metadata.labels ?? [:])
            && slice.metadata.ownerReferences == placeholder.metadata.ownerReferences
            && slice.addressType == placeholder.addressType && slice.ports.isEmpty && slice.endpoints.isEmpty
    }
}
