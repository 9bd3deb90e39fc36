import SkiffAPI
import SkiffClient
import Synchronization
import Testing

@testable import SkiffControllers

@Suite(.serialized) struct DeploymentClusterTests {
    /// What `kubectl rollout status` checks before it says "successfully rolled out".
    static func rolledOut(_ deployment: Deployment) -> Bool {
        let status = deployment.status
        let replicas = deployment.spec.replicas ?? 1
        let progressing = status.conditions?.first { $0.type == "Progressing" }
        return (deployment.metadata.generation ?? 0) <= (status.observedGeneration ?? 0)
            && progressing?.reason != "ProgressDeadlineExceeded"
            && status.updatedReplicas == replicas && status.replicas == replicas
            && (status.availableReplicas ?? 0) >= replicas
            && progressing?.reason == "NewReplicaSetAvailable"
            && status.conditions?.contains { $0.type == "Available" && $0.status == "True" } == true
    }

    func deployment(_ cluster: TestCluster, _ name: String = "web") async throws -> Deployment {
        try await cluster.client.get(Deployment.self, name, namespace: "default")
    }

    @Test func rollsFromV1ToV2WithinSurgeAndUnavailability() async throws {
        try await TestCluster.with(controllers: ["replicaset", "deployment"]) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            try await cluster.client.create(
                Manifests.deployment("web", replicas: 4, image: "web:v1", maxSurge: .int(1), maxUnavailable: .int(1)))
            #expect(try await eventually { Self.rolledOut(try await deployment(cluster)) })
            let first = try await deployment(cluster)
            #expect(first.metadata.annotations?["deployment.kubernetes.io/revision"] == "1")

            // Watch every replica set change from here on, checking the bounds after each.
            let list = try await cluster.client.list(ReplicaSet.self, namespace: "default")
            var options = ListOptions()
            options.resourceVersion = list.metadata.resourceVersion
            let events = try await cluster.client.watch(ReplicaSet.self, namespace: "default", options: options)
            let violations = Mutex<[String]>([])
            let watching = Task {
                var sets = Dictionary(uniqueKeysWithValues: list.items.map { ($0.metadata.name ?? "", $0) })
                do {
                    for try await event in events {
                        switch event {
                        case .added(let set), .modified(let set): sets[set.metadata.name ?? ""] = set
                        case .deleted(let set): sets[set.metadata.name ?? ""] = nil
                        default: continue
                        }
                        let desired = sets.values.reduce(0) { $0 + ($1.spec.replicas ?? 0) }
                        let available = sets.values.reduce(0) { $0 + ($1.status.availableReplicas ?? 0) }
                        if desired > 5 { violations.withLock { $0.append("\(desired) replicas wanted, more than 4 + maxSurge 1") } }
                        if available < 3 { violations.withLock { $0.append("\(available) available, fewer than 4 - maxUnavailable 1") } }
                    }
                } catch {}
            }

            try await cluster.updateDeployment("web") { $0.spec.template.spec.containers[0].image = "web:v2" }
            #expect(try await eventually {
                let current = try await deployment(cluster)
                return current.metadata.generation == 2 && Self.rolledOut(current)
            })
            watching.cancel()
            #expect(violations.withLock { $0 }.isEmpty)

            let done = try await deployment(cluster)
            #expect(done.metadata.annotations?["deployment.kubernetes.io/revision"] == "2")
            let sets = try await cluster.replicaSets()
            #expect(sets.count == 2)
            let newSet = try #require(sets.first { $0.spec.template.spec.containers.first?.image == "web:v2" })
            let oldSet = try #require(sets.first { $0.spec.template.spec.containers.first?.image == "web:v1" })
            #expect(oldSet.spec.replicas == 0)
            #expect(newSet.spec.replicas == 4)
            #expect(newSet.metadata.annotations?["deployment.kubernetes.io/revision"] == "2")
            let hash = try #require(newSet.metadata.labels?["pod-template-hash"])
            #expect(newSet.metadata.name == "web-" + hash)
            #expect(newSet.metadata.controllerReference?.uid == done.metadata.uid)
            #expect(try await eventually {
                let pods = try await cluster.pods()
                return pods.count == 4 && pods.allSatisfy { $0.metadata.labels?["pod-template-hash"] == hash }
            })
        }
    }

    @Test func undoReusesTheOldReplicaSetAndHistoryIsLimited() async throws {
        try await TestCluster.with(controllers: ["replicaset", "deployment"]) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            var manifest = Manifests.deployment("web", replicas: 2, image: "web:v1", maxSurge: .int(1), maxUnavailable: .int(0))
            manifest.spec.revisionHistoryLimit = 1
            try await cluster.client.create(manifest)
            for (generation, image) in [(2, "web:v2"), (3, "web:v3")] {
                #expect(try await eventually { Self.rolledOut(try await deployment(cluster)) })
                try await cluster.updateDeployment("web") { $0.spec.template.spec.containers[0].image = image }
                #expect(try await eventually {
                    let current = try await deployment(cluster)
                    return current.metadata.generation == Int64(generation) && Self.rolledOut(current)
                })
            }
            // Only one old replica set is kept: v2's.
            #expect(try await eventually { try await cluster.replicaSets().count == 2 })
            let v2 = try #require(try await cluster.replicaSets().first { $0.spec.template.spec.containers.first?.image == "web:v2" })

            // `kubectl rollout undo`: the template of v2's set, without its hash label.
            var template = v2.spec.template
            template.metadata.labels?.removeValue(forKey: "pod-template-hash")
            try await cluster.updateDeployment("web") { [template] in $0.spec.template = template }
            #expect(try await eventually {
                let current = try await deployment(cluster)
                return current.metadata.generation == 4 && Self.rolledOut(current)
            })
            let reused = try await cluster.client.get(ReplicaSet.self, v2.metadata.name ?? "", namespace: "default")
            #expect(reused.metadata.uid == v2.metadata.uid)
            #expect(reused.metadata.annotations?["deployment.kubernetes.io/revision"] == "4")
            #expect(reused.spec.replicas == 2)
            #expect(try await deployment(cluster).metadata.annotations?["deployment.kubernetes.io/revision"] == "4")
        }
    }

    @Test func recreateStopsOldPodsBeforeStartingNewOnes() async throws {
        try await TestCluster.with(controllers: ["replicaset", "deployment"]) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            var manifest = Manifests.deployment("web", replicas: 3, image: "web:v1", maxSurge: .int(0), maxUnavailable: .int(0))
            manifest.spec.strategy = DeploymentStrategy()
            manifest.spec.strategy.type = "Recreate"
            try await cluster.client.create(manifest)
            #expect(try await eventually { Self.rolledOut(try await deployment(cluster)) })

            let list = try await cluster.client.list(Pod.self, namespace: "default")
            var options = ListOptions()
            options.resourceVersion = list.metadata.resourceVersion
            let events = try await cluster.client.watch(Pod.self, namespace: "default", options: options)
            let overlaps = Mutex(0)
            let watching = Task {
                var images = Dictionary(uniqueKeysWithValues: list.items.map { ($0.metadata.name ?? "", $0.spec.containers[0].image ?? "") })
                do {
                    for try await event in events {
                        switch event {
                        case .added(let pod), .modified(let pod): images[pod.metadata.name ?? ""] = pod.spec.containers[0].image ?? ""
                        case .deleted(let pod): images[pod.metadata.name ?? ""] = nil
                        default: continue
                        }
                        if Set(images.values).count > 1 { overlaps.withLock { $0 += 1 } }
                    }
                } catch {}
            }
            try await cluster.updateDeployment("web") { $0.spec.template.spec.containers[0].image = "web:v2" }
            #expect(try await eventually {
                let current = try await deployment(cluster)
                return current.metadata.generation == 2 && Self.rolledOut(current)
            })
            watching.cancel()
            #expect(overlaps.withLock { $0 } == 0)
            #expect(try await cluster.pods().allSatisfy { $0.spec.containers[0].image == "web:v2" })
        }
    }

    @Test func scalingAndPausing() async throws {
        try await TestCluster.with(controllers: ["replicaset", "deployment"]) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            try await cluster.client.create(
                Manifests.deployment("web", replicas: 2, image: "web:v1", maxSurge: .string("25%"), maxUnavailable: .string("25%")))
            #expect(try await eventually { Self.rolledOut(try await deployment(cluster)) })

            // `kubectl scale --replicas=5` goes through the scale subresource (the
            // reply is a Scale, read here as far as a Deployment shares its fields).
            try await cluster.client.patch(
                Deployment.self, "web", namespace: "default", .merge, body: Array(#"{"spec":{"replicas":5}}"#.utf8),
                subresource: "scale")
            #expect(try await eventually {
                let current = try await deployment(cluster)
                return current.spec.replicas == 5 && Self.rolledOut(current)
            })
            #expect(try await cluster.pods().count == 5)

            // Paused: a new template makes no new replica set until resumed.
            try await cluster.updateDeployment("web") {
                $0.spec.paused = true
                $0.spec.template.spec.containers[0].image = "web:v2"
            }
            #expect(try await eventually {
                let progressing = try await deployment(cluster).status.conditions?.first { $0.type == "Progressing" }
                return progressing?.reason == "DeploymentPaused" && progressing?.status == "Unknown"
            })
            #expect(try await cluster.replicaSets().count == 1)
            let generation = try await cluster.updateDeployment("web") { $0.spec.paused = false }.metadata.generation
            #expect(try await eventually {
                let current = try await deployment(cluster)
                return current.metadata.generation == generation && Self.rolledOut(current)
                    && current.metadata.annotations?["deployment.kubernetes.io/revision"] == "2"
            })
        }
    }
}
