import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffControllers

/// The endpoint slice controller against a real API server; the test plays the
/// kubelet by writing pod IPs and Ready conditions into pod status.
@Suite(.serialized) struct EndpointSliceClusterTests {
    @Test func slicesFollowPodsThroughReadinessTerminationAndSelectorChanges() async throws {
        try await TestCluster.with(controllers: ["endpointslice"]) { cluster in
            try await cluster.client.create(EndpointFixtures.node("node-a", zone: "zone-1").forCreate())
            let service = try await cluster.client.create(EndpointFixtures.service().forCreate())
            for index in 1...3 { try await cluster.runPod("web-\(index)", ip: "10.42.0.\(index)") }

            #expect(try await eventually {
                try await cluster.endpoints(of: "web").map { $0.targetRef?.name ?? "" }.sorted() == ["web-1", "web-2", "web-3"]
            })
            let slice = try #require(try await cluster.slices(of: "web").first)
            #expect(slice.metadata.name?.hasPrefix("web-") == true)
            #expect(slice.metadata.ownerReferences?.first?.uid == service.metadata.uid)
            #expect(slice.metadata.labels?["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io")
            #expect(slice.ports.first?.port == 8080 && slice.ports.first?.name == "http")
            let first = try #require(slice.endpoints.first { $0.targetRef?.name == "web-1" })
            #expect(first.addresses == ["10.42.0.1"] && first.nodeName == "node-a" && first.zone == "zone-1")
            #expect(first.conditions.ready == true && first.conditions.serving == true && first.conditions.terminating == false)

            // Unready: still listed, neither ready nor serving.
            try await cluster.setPodStatus("web-2", ip: "10.42.0.2", ready: false)
            #expect(try await eventually {
                let endpoint = try await cluster.endpoints(of: "web").first { $0.targetRef?.name == "web-2" }
                return endpoint?.conditions.ready == false && endpoint?.conditions.serving == false
            })

            // Terminating (a pod on a node waits out its grace period): serving, not ready.
            try await cluster.client.delete(Pod.self, "web-3", namespace: "default")
            #expect(try await eventually {
                let endpoint = try await cluster.endpoints(of: "web").first { $0.targetRef?.name == "web-3" }
                return endpoint?.conditions.terminating == true && endpoint?.conditions.ready == false
                    && endpoint?.conditions.serving == true
            })

            // A new selector: other pods, same slice name.
            try await cluster.runPod("api-1", ip: "10.42.0.9", labels: ["app": "api"])
            var changed = try await cluster.client.get(Service.self, "web", namespace: "default")
            changed.spec.selector = ["app": "api"]
            try await cluster.client.update(changed)
            #expect(try await eventually {
                try await cluster.endpoints(of: "web").map(\.targetRef?.name) == ["api-1"]
            })
            #expect(try await cluster.slices(of: "web").map(\.metadata.name) == [slice.metadata.name])

            // The service goes, and so do its slices.
            try await cluster.client.delete(Service.self, "web", namespace: "default")
            #expect(try await eventually { try await cluster.slices(of: "web").isEmpty })
        }
    }

    @Test func namedPortsWithDifferentNumbersGoIntoDifferentSlices() async throws {
        try await TestCluster.with(controllers: ["endpointslice"]) { cluster in
            try await cluster.client.create(EndpointFixtures.node("node-a").forCreate())
            try await cluster.client.create(EndpointFixtures.service().forCreate())
            try await cluster.runPod("old", ip: "10.42.0.1", httpPort: 8080)
            try await cluster.runPod("new", ip: "10.42.0.2", httpPort: 9090)
            #expect(try await eventually {
                let slices = try await cluster.slices(of: "web")
                let byPort = Dictionary(slices.map { ($0.ports.first?.port ?? 0, $0.endpoints.map(\.targetRef?.name)) }) { a, _ in a }
                return slices.count == 2 && byPort[8080] == ["old"] && byPort[9090] == ["new"]
            })
        }
    }

    @Test func moreThanAHundredPodsAreSplitAcrossSlices() async throws {
        try await TestCluster.with(controllers: ["endpointslice"]) { cluster in
            try await cluster.client.create(EndpointFixtures.node("node-a").forCreate())
            try await cluster.client.create(EndpointFixtures.service().forCreate())
            for index in 0..<230 { try await cluster.runPod("p\(index)", ip: "10.42.\(index / 200).\(index % 200 + 1)") }
            #expect(try await eventually {
                let slices = try await cluster.slices(of: "web")
                return slices.map(\.endpoints.count).reduce(0, +) == 230
            })
            let slices = try await cluster.slices(of: "web")
            #expect(slices.allSatisfy { $0.endpoints.count <= 100 })
            #expect(slices.count == 3)
            let addresses = slices.flatMap(\.endpoints).flatMap(\.addresses)
            #expect(Set(addresses).count == 230)
        }
    }

    @Test func servicesWithoutSelectorAreLeftAlone() async throws {
        try await TestCluster.with(controllers: ["endpointslice"]) { cluster in
            try await cluster.client.create(EndpointFixtures.node("node-a").forCreate())
            try await cluster.client.create(EndpointFixtures.service("manual", selector: nil).forCreate())
            var own = EndpointSlice()
            own.metadata.name = "manual-1"
            own.metadata.namespace = "default"
            own.metadata.labels = ["kubernetes.io/service-name": "manual", "endpointslice.kubernetes.io/managed-by": "someone"]
            own.addressType = "IPv4"
            var endpoint = Endpoint()
            endpoint.addresses = ["10.42.5.5"]
            own.endpoints = [endpoint]
            let created = try await cluster.client.create(own)
            // A service with a selector, made afterwards, shows the controller has worked its queue.
            try await cluster.client.create(EndpointFixtures.service().forCreate())
            try await cluster.runPod("web-1", ip: "10.42.0.1")
            #expect(try await eventually { try await cluster.endpoints(of: "web").count == 1 })
            let slices = try await cluster.client.list(
                EndpointSlice.self, namespace: "default", options: ListOptions(labelSelector: "kubernetes.io/service-name=manual"))
            #expect(slices.items.map(\.metadata.resourceVersion) == [created.metadata.resourceVersion])
        }
    }
}

extension TestCluster {
    /// Creates a pod on node-a and reports it running with `ip`, as its kubelet would.
    func runPod(
        _ name: String, ip: String, labels: [String: String] = ["app": "web"], httpPort: Int32 = 8080, ready: Bool = true
    ) async throws {
        var pod = EndpointFixtures.pod(name, ips: [], httpPort: httpPort, labels: labels)
        pod.metadata.uid = nil
        pod.status = PodStatus()
        try await client.create(pod)
        try await setPodStatus(name, ip: ip, ready: ready)
    }

    func setPodStatus(_ name: String, ip: String, ready: Bool, namespace: String = "default") async throws {
        var pod = try await client.get(Pod.self, name, namespace: namespace)
        pod.status = EndpointFixtures.status(ips: [ip], ready: ready)
        try await client.updateStatus(pod)
    }

    func slices(of service: String, namespace: String = "default") async throws -> [EndpointSlice] {
        let options = ListOptions(labelSelector: "kubernetes.io/service-name=\(service)")
        return try await client.list(EndpointSlice.self, namespace: namespace, options: options).items
    }

    func endpoints(of service: String) async throws -> [Endpoint] {
        try await slices(of: service).flatMap(\.endpoints)
    }
}

extension APIObject {
    /// The fixture without the uid the server assigns.
    func forCreate() -> Self {
        var object = self
        object.metadata.uid = nil
        return object
    }
}

extension Service {
    /// The fixture without uid and cluster IP: the server allocates one.
    func forCreate() -> Service {
        var service = self
        service.metadata.uid = nil
        service.spec.clusterIP = nil
        service.spec.clusterIPs = nil
        return service
    }
}
