import SkiffAPI
import SkiffClient

extension EndpointsController {
    /// upstream syncService: the Endpoints a service's pods call for, written
    /// only when subsets, labels or the capacity annotation differ.
    public func sync(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        guard let service = services.get(name, namespace: namespace) else {
            // The service is gone: its Endpoints go too.
            guard endpoints.get(name, namespace: namespace) != nil else { return }
            do {
                try await client.delete(Endpoints.self, name, namespace: namespace)
            } catch {
                if !error.isNotFound { throw error }
            }
            return
        }
        // Endpoints of a service without a selector belong to whoever writes them.
        guard let selector = service.podSelector else { return }

        let selected = pods.list().filter {
            $0.metadata.namespace == namespace && selector.matches($0.metadata.labels ?? [:])
        }
        let (subsets, truncated) = EndpointsTruncation.truncate(EndpointSubsets.subsets(for: service, pods: selected))
        let current = endpoints.get(name, namespace: namespace)
        let labels = Self.labels(for: service)
        if let current, (current.subsets ?? []) == subsets, (current.metadata.labels ?? [:]) == labels,
            (current.metadata.annotations?[EndpointsTruncation.overCapacityAnnotation] != nil) == truncated
        {
            return
        }

        var updated = current ?? Endpoints()
        updated.metadata.name = name
        updated.metadata.namespace = namespace
        updated.metadata.labels = labels
        var annotations = updated.metadata.annotations ?? [:]
        annotations[EndpointsTruncation.overCapacityAnnotation] = truncated ? EndpointsTruncation.truncated : nil
        updated.metadata.annotations = annotations.isEmpty ? nil : annotations
        updated.subsets = subsets.isEmpty ? nil : subsets
        do {
            if current == nil { try await client.create(updated) } else { try await client.update(updated) }
        } catch {
            // A terminating namespace refuses every create; its service goes soon.
            if current == nil && error.isNamespaceTerminating { return }
            throw error
        }
    }

    /// The service's labels, plus `service.kubernetes.io/headless` without a cluster IP.
    static func labels(for service: Service) -> [String: String] {
        var labels = service.metadata.labels ?? [:]
        if service.hasClusterIP {
            labels[SliceLabels.headless] = nil
        } else {
            labels[SliceLabels.headless] = ""
        }
        return labels
    }
}
