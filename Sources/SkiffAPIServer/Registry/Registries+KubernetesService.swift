import SkiffAPI

extension Registries {
    /// Upstream's names and labels for the API server's own Service.
    enum KubernetesService {
        static let name = "kubernetes"
        static let namespace = "default"
        static let portName = "https"
        static let servicePort: Int32 = 443
        static let serviceLabels = ["component": "apiserver", "provider": "kubernetes"]
        /// The Endpoints are the reconciler's; the mirroring controller keeps off them.
        static let endpointsLabels = ["endpointslice.kubernetes.io/skip-mirror": "true"]
        /// Upstream's reconciler sets only the service name, so no controller's
        /// managed-by label claims this slice.
        static let sliceLabels = ["kubernetes.io/service-name": "kubernetes"]
    }

    /// Ensures the `kubernetes` Service of namespace default and its Endpoints and
    /// EndpointSlice, as kube-apiserver's kubernetesservice controller and endpoint
    /// reconciler keep them: ClusterIP the first address of the service CIDR
    /// (10.43.0.1), port `https` 443 to `port`, labels component=apiserver and
    /// provider=kubernetes; the endpoints point at `advertiseAddress:port`. Idempotent:
    /// run it at start (and when the address changes); it writes only what differs.
    ///
    /// With several servers on one store each writes its own address; upstream's
    /// lease reconciler, which lists every live server, is not built yet.
    ///
    /// - Parameters:
    ///   - advertiseAddress: the IP other components reach this server at.
    ///   - port: the server's secure port.
    public func ensureKubernetesService(advertiseAddress: String, port: Int32 = Int32(APIServerDefaults.securePort))
        async throws(APIError)
    {
        guard let family = ServiceIP.family(of: advertiseAddress) else {
            throw .badRequest("the advertise address \(advertiseAddress) is not an IP address")
        }
        try await ensureService(port: port)
        // Endpoints may not be loopback addresses (validation refuses them, as
        // upstream's), and a server bound to loopback has no other: the Service
        // then exists without endpoints, as upstream's would with no live server.
        if ServiceIP.isLoopback(advertiseAddress) { return }
        try await ensureEndpoints(address: advertiseAddress, port: port)
        try await ensureEndpointSlice(address: advertiseAddress, family: family, port: port)
    }

    private func ensureService(port: Int32) async throws(APIError) {
        let services = registry(for: Service.self)
        var desiredPort = ServicePort(name: KubernetesService.portName, protocol: "TCP", port: KubernetesService.servicePort,
                                      targetPort: .int(port))
        desiredPort.nodePort = nil
        for _ in 0..<ResourceRegistry<Service>.maxAttempts {
            do {
                var existing = try await services.get(namespace: KubernetesService.namespace, name: KubernetesService.name)
                // checkServiceFormat: only the ports and type are the controller's to reset.
                guard existing.spec.type != ServiceType.clusterIP || existing.spec.ports != [desiredPort] else { return }
                existing.spec.ports = [desiredPort]
                existing.spec.type = ServiceType.clusterIP
                _ = try await services.update(namespace: KubernetesService.namespace, name: KubernetesService.name, existing)
                return
            } catch where error.code == 404 {
                var service = Service()
                service.metadata = ObjectMeta(
                    name: KubernetesService.name, namespace: KubernetesService.namespace, labels: KubernetesService.serviceLabels)
                service.spec.ports = [desiredPort]
                service.spec.clusterIP = context.serviceNetwork.serviceCIDR.firstAddress.description
                service.spec.ipFamilyPolicy = IPFamilyPolicy.singleStack
                service.spec.sessionAffinity = "None"
                service.spec.type = ServiceType.clusterIP
                do {
                    _ = try await services.create(namespace: KubernetesService.namespace, service)
                    return
                } catch where error.reason == "AlreadyExists" {
                    continue
                }
            } catch where error.code == 409 {
                continue
            }
        }
        throw .conflict(resource: Service.resource, group: "", name: KubernetesService.name)
    }

    private func ensureEndpoints(address: String, port: Int32) async throws(APIError) {
        var endpointPort = EndpointPort()
        endpointPort.name = KubernetesService.portName
        endpointPort.port = port
        endpointPort.protocol = "TCP"
        var endpointAddress = EndpointAddress()
        endpointAddress.ip = address
        var subset = EndpointSubset()
        subset.addresses = [endpointAddress]
        subset.ports = [endpointPort]
        try await reconcile(Endpoints.self) { (current: inout Endpoints) in
            current.metadata.labels = KubernetesService.endpointsLabels
            current.subsets = [subset]
        }
    }

    private func ensureEndpointSlice(address: String, family: ServiceIP.Family, port: Int32) async throws(APIError) {
        var endpoint = Endpoint()
        endpoint.addresses = [address]
        endpoint.conditions.ready = true
        var slicePort = EndpointSlicePort()
        slicePort.name = KubernetesService.portName
        slicePort.port = port
        slicePort.protocol = "TCP"
        try await reconcile(EndpointSlice.self) { (current: inout EndpointSlice) in
            current.metadata.labels = KubernetesService.sliceLabels
            current.addressType = family.rawValue
            current.endpoints = [endpoint]
            current.ports = [slicePort]
        }
    }

    /// Creates default/kubernetes of a kind as `shape` makes it, or updates the
    /// stored one if `shape` changes it; retries lost races.
    private func reconcile<T: RegistryStrategy>(_ type: T.Type, _ shape: (inout T) -> Void) async throws(APIError) {
        let objects = registry(for: type)
        for _ in 0..<ResourceRegistry<T>.maxAttempts {
            do {
                let existing = try await objects.get(namespace: KubernetesService.namespace, name: KubernetesService.name)
                var desired = existing
                shape(&desired)
                guard desired != existing else { return }
                _ = try await objects.update(namespace: KubernetesService.namespace, name: KubernetesService.name, desired)
                return
            } catch where error.code == 404 {
                var object = T()
                object.metadata = ObjectMeta(name: KubernetesService.name, namespace: KubernetesService.namespace)
                shape(&object)
                do {
                    _ = try await objects.create(namespace: KubernetesService.namespace, object)
                    return
                } catch where error.reason == "AlreadyExists" {
                    continue
                }
            } catch where error.code == 409 {
                continue
            }
        }
        throw .conflict(resource: T.resource, group: T.group, name: KubernetesService.name)
    }
}
