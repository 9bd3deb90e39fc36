import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffControllers

/// Namespace deletion against a real API server, with the controllers that
/// would otherwise fill the namespace again running beside it.
@Suite(.serialized) struct NamespaceClusterTests {
    static let controllers: Set<String> = ["namespace", "serviceaccount", "replicaset", "deployment", "endpoints", "endpointslice"]

    @Test func aDeletedNamespaceLeavesNothingBehind() async throws {
        try await TestCluster.with(controllers: Self.controllers) { cluster in
            try await cluster.createNamespace("team-a")
            var configMap = ConfigMap()
            configMap.metadata.name = "settings"
            configMap.metadata.namespace = "team-a"
            try await cluster.client.create(configMap)
            var service = EndpointFixtures.service().forCreate()
            service.metadata.namespace = "team-a"
            try await cluster.client.create(service)
            var deployment = Manifests.deployment("web", replicas: 2, image: "nginx:1", maxSurge: .int(1), maxUnavailable: .int(0))
            deployment.metadata.namespace = "team-a"
            try await cluster.client.create(deployment)
            var pod = EndpointFixtures.pod("lonely", ips: [], labels: ["app": "other"]).forCreate()
            pod.metadata.namespace = "team-a"
            pod.spec.nodeName = nil
            pod.status = PodStatus()
            try await cluster.client.create(pod)
            #expect(try await eventually { try await cluster.client.list(Pod.self, namespace: "team-a").items.count == 3 })
            #expect(try await eventually { try await cluster.exists(ServiceAccount.self, "default", namespace: "team-a") })
            #expect(try await eventually { try await cluster.exists(Endpoints.self, "web", namespace: "team-a") })

            try await cluster.client.delete(Namespace.self, "team-a")
            #expect(try await eventually { try await !cluster.exists(Namespace.self, "team-a") })
            // Nothing is left, and nothing came back (a default service account, say).
            #expect(try await cluster.client.list(Pod.self, namespace: "team-a").items.isEmpty)
            #expect(try await cluster.client.list(ConfigMap.self, namespace: "team-a").items.isEmpty)
            #expect(try await cluster.client.list(Service.self, namespace: "team-a").items.isEmpty)
            #expect(try await cluster.client.list(Deployment.self, namespace: "team-a").items.isEmpty)
            #expect(try await cluster.client.list(ReplicaSet.self, namespace: "team-a").items.isEmpty)
            #expect(try await cluster.client.list(Endpoints.self, namespace: "team-a").items.isEmpty)
            #expect(try await cluster.client.list(EndpointSlice.self, namespace: "team-a").items.isEmpty)
            #expect(try await cluster.client.list(ServiceAccount.self, namespace: "team-a").items.isEmpty)
            #expect(try await cluster.client.list(Event.self, namespace: "team-a").items.isEmpty)
        }
    }

    @Test func aFinalizerKeepsTheNamespaceTerminatingUntilItIsRemoved() async throws {
        try await TestCluster.with(controllers: Self.controllers) { cluster in
            try await cluster.createNamespace("held")
            var pod = EndpointFixtures.pod("keeper", ips: []).forCreate()
            pod.metadata.namespace = "held"
            pod.metadata.finalizers = ["example.com/hold"]
            pod.spec.nodeName = nil
            pod.status = PodStatus()
            try await cluster.client.create(pod)
            var configMap = ConfigMap()
            configMap.metadata.name = "settings"
            configMap.metadata.namespace = "held"
            try await cluster.client.create(configMap)

            try await cluster.client.delete(Namespace.self, "held")
            func condition(_ type: String) async throws -> NamespaceCondition? {
                try await cluster.client.get(Namespace.self, "held").status.conditions?.first { $0.type == type }
            }
            #expect(try await eventually {
                let finalizers = try await condition("NamespaceFinalizersRemaining")
                return finalizers?.status == "True" && finalizers?.reason == "SomeFinalizersRemain"
            })
            let namespace = try await cluster.client.get(Namespace.self, "held")
            #expect(namespace.status.phase == "Terminating")
            #expect(namespace.spec.finalizers == ["kubernetes"])
            let finalizers = try await condition("NamespaceFinalizersRemaining")
            #expect(finalizers?.message == "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances")
            let remaining = try await condition("NamespaceContentRemaining")
            #expect(remaining?.status == "True" && remaining?.reason == "SomeResourcesRemain")
            #expect(remaining?.message == "Some resources are remaining: pods. has 1 resource instances")
            let content = try await condition("NamespaceDeletionContentFailure")
            #expect(content?.status == "False" && content?.reason == "ContentDeleted")
            let discovery = try await condition("NamespaceDeletionDiscoveryFailure")
            #expect(discovery?.status == "False" && discovery?.reason == "ResourcesDiscovered")
            #expect(try await cluster.client.list(ConfigMap.self, namespace: "held").items.isEmpty)
            let held = try await cluster.client.get(Pod.self, "keeper", namespace: "held")
            #expect(held.metadata.deletionTimestamp != nil)

            // The finalizer goes: so do the pod and then the namespace.
            try await cluster.client.patch(
                Pod.self, "keeper", namespace: "held", .merge, body: Array(#"{"metadata":{"finalizers":null}}"#.utf8))
            #expect(try await eventually { try await !cluster.exists(Namespace.self, "held") })
        }
    }
}

extension TestCluster {
    func createNamespace(_ name: String) async throws {
        var namespace = Namespace()
        namespace.metadata.name = name
        try await client.create(namespace)
    }

    func exists<T: APIObject>(_ type: T.Type, _ name: String, namespace: String? = nil) async throws -> Bool {
        do {
            _ = try await client.get(T.self, name, namespace: namespace)
            return true
        } catch {
            if error.isNotFound { return false }
            throw error
        }
    }
}
