import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffControllers

/// The garbage collector against the real API server, with deletes sent as
/// `kubectl delete --cascade=background|orphan|foreground` sends them.
@Suite(.serialized) struct GarbageCollectorClusterTests {
    static let workloads: Set<String> = ["replicaset", "deployment", "garbagecollector"]

    func delete<T: APIObject>(_ type: T.Type, _ name: String, _ cluster: TestCluster, policy: String) async throws {
        var options = DeleteOptions()
        options.propagationPolicy = policy
        try await cluster.client.delete(T.self, name, namespace: "default", options: options)
    }

    func exists<T: APIObject>(_ type: T.Type, _ name: String, _ cluster: TestCluster) async throws -> T? {
        do { return try await cluster.client.get(T.self, name, namespace: "default") } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    func configMap(_ name: String, owners: [ConfigMap] = [], finalizers: [String]? = nil) -> ConfigMap {
        var map = ConfigMap()
        map.metadata.name = name
        map.metadata.namespace = "default"
        map.metadata.finalizers = finalizers
        map.metadata.ownerReferences = owners.map { owner in
            OwnerReference(
                apiVersion: "v1", kind: "ConfigMap", name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "",
                blockOwnerDeletion: true)
        }
        return map
    }

    @Test func backgroundDeletionOfADeploymentRemovesItsReplicaSetsAndPods() async throws {
        try await TestCluster.with(controllers: Self.workloads) { cluster in
            try await cluster.client.create(
                Manifests.deployment("web", replicas: 2, image: "nginx:1", maxSurge: .int(1), maxUnavailable: .int(0)))
            #expect(try await eventually { try await cluster.pods().count == 2 })
            #expect(try await cluster.replicaSets().count == 1)
            try await delete(Deployment.self, "web", cluster, policy: "Background")
            #expect(try await eventually {
                try await cluster.workloadsGone()
            })
        }
    }

    @Test func orphanDeletionKeepsThePodsWithoutOwnerReferences() async throws {
        try await TestCluster.with(controllers: ["replicaset", "garbagecollector"]) { cluster in
            try await cluster.client.create(Manifests.replicaSet("web", replicas: 2))
            #expect(try await eventually { try await cluster.pods().count == 2 })
            try await delete(ReplicaSet.self, "web", cluster, policy: "Orphan")
            #expect(try await eventually { try await exists(ReplicaSet.self, "web", cluster) == nil })
            let pods = try await cluster.pods()
            #expect(pods.count == 2)
            #expect(pods.allSatisfy { ($0.metadata.ownerReferences ?? []).isEmpty && $0.metadata.deletionTimestamp == nil })
        }
    }

    @Test func foregroundDeletionRemovesDependentsBeforeTheOwner() async throws {
        try await TestCluster.with(controllers: Self.workloads) { cluster in
            try await cluster.client.create(
                Manifests.deployment("web", replicas: 2, image: "nginx:1", maxSurge: .int(1), maxUnavailable: .int(0)))
            #expect(try await eventually { try await cluster.pods().count == 2 })
            try await delete(Deployment.self, "web", cluster, policy: "Foreground")
            // Read the owner first, its dependents after: once the owner is gone, no
            // dependent may be left.
            var ownerOutlivedDependents = true
            #expect(try await eventually {
                guard try await exists(Deployment.self, "web", cluster) == nil else { return false }
                ownerOutlivedDependents = try await cluster.workloadsGone()
                return true
            })
            #expect(ownerOutlivedDependents)
        }
    }

    @Test func aBlockingDependentHoldsAForegroundDeletingOwner() async throws {
        try await TestCluster.with(controllers: ["garbagecollector"]) { cluster in
            let owner = try await cluster.client.create(configMap("owner"))
            try await cluster.client.create(configMap("held", owners: [owner], finalizers: ["skiff.test/hold"]))
            try await delete(ConfigMap.self, "owner", cluster, policy: "Foreground")
            #expect(try await eventually { try await exists(ConfigMap.self, "held", cluster)?.metadata.deletionTimestamp != nil })
            let waiting = try #require(try await exists(ConfigMap.self, "owner", cluster))
            #expect(waiting.metadata.deletionTimestamp != nil)
            #expect(waiting.metadata.finalizers == ["foregroundDeletion"])

            try await cluster.client.patch(
                ConfigMap.self, "held", namespace: "default", .merge, body: Array(#"{"metadata":{"finalizers":null}}"#.utf8))
            #expect(try await eventually { try await exists(ConfigMap.self, "owner", cluster) == nil })
            #expect(try await exists(ConfigMap.self, "held", cluster) == nil)
        }
    }

    @Test func aDependentWithAnotherOwnerSurvivesLosingOne() async throws {
        try await TestCluster.with(controllers: ["garbagecollector"]) { cluster in
            let first = try await cluster.client.create(configMap("first"))
            let second = try await cluster.client.create(configMap("second"))
            try await cluster.client.create(configMap("shared", owners: [first, second]))
            try await delete(ConfigMap.self, "first", cluster, policy: "Background")
            #expect(try await eventually {
                try await exists(ConfigMap.self, "shared", cluster)?.metadata.ownerReferences?.map(\.uid) == [second.metadata.uid ?? ""]
            })
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await exists(ConfigMap.self, "shared", cluster) != nil)
        }
    }

    @Test func aDependentOfAnOwnerThatNeverExistedIsDeleted() async throws {
        try await TestCluster.with(controllers: ["garbagecollector"]) { cluster in
            var ghost = ConfigMap()
            ghost.metadata.name = "ghost"
            ghost.metadata.uid = "8d1b8f0e-never-existed"
            try await cluster.client.create(configMap("dependent", owners: [ghost]))
            // An owner under the referenced name but another uid is no owner either.
            try await cluster.client.create(configMap("ghost"))
            #expect(try await eventually { try await exists(ConfigMap.self, "dependent", cluster) == nil })
            #expect(try await exists(ConfigMap.self, "ghost", cluster) != nil)
        }
    }

    @Test(arguments: ["Background", "Foreground"])
    func aCycleOfOwnersIsDeletedWhole(policy: String) async throws {
        try await TestCluster.with(controllers: ["garbagecollector"]) { cluster in
            let a = try await cluster.client.create(configMap("a"))
            let b = try await cluster.client.create(configMap("b", owners: [a]))
            var closing = try await cluster.client.get(ConfigMap.self, "a", namespace: "default")
            closing.metadata.ownerReferences = configMap("a", owners: [b]).metadata.ownerReferences
            try await cluster.client.update(closing)
            try await delete(ConfigMap.self, "a", cluster, policy: policy)
            #expect(try await eventually {
                try await exists(ConfigMap.self, "a", cluster) == nil ? exists(ConfigMap.self, "b", cluster) == nil : false
            })
        }
    }
}

extension GarbageCollectorClusterTests {
    /// batch/v1 keeps its old default: without a propagation policy a Job's pods
    /// are orphaned, not deleted.
    @Test func deletingAJobWithoutAPolicyOrphansItsPods() async throws {
        try await TestCluster.with(controllers: ["job", "garbagecollector"]) { cluster in
            try await cluster.client.create(Manifests.job("left"))
            #expect(try await eventually { try await cluster.jobPods("left").count == 1 })
            try await cluster.client.delete(Job.self, "left", namespace: "default")
            #expect(try await eventually {
                guard try await exists(Job.self, "left", cluster) == nil else { return false }
                let pods = try await cluster.jobPods("left")
                return pods.count == 1 && (pods[0].metadata.ownerReferences ?? []).isEmpty
                    && (pods[0].metadata.finalizers ?? []).isEmpty
            })
        }
    }
}
