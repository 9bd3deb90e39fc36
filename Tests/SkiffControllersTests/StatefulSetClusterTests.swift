import SkiffAPI
import SkiffClient
import Synchronization
import Testing

@testable import SkiffControllers

@Suite(.serialized) struct StatefulSetClusterTests {
    @Test func orderedReadyCreatesAndRemovesOnePodAtATime() async throws {
        try await TestCluster.with(controllers: ["statefulset"]) { cluster in
            // Only pods the test names become ready, so the controller's waiting shows.
            let ready = Mutex(Set<String>())
            let kubelet = FakeKubelet(client: cluster.client) { pod in ready.withLock { $0.contains(pod.metadata.name ?? "") } }
            defer { Task { await kubelet.stop() } }
            let set = try await cluster.client.create(Manifests.statefulSet("db", replicas: 3))
            #expect(try await eventually { try await cluster.podNames() == ["db-0"] })
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await cluster.podNames() == ["db-0"], "db-1 waits for db-0 to be Ready")
            let first = try await cluster.client.get(Pod.self, "db-0", namespace: "default")
            #expect(first.spec.hostname == "db-0" && first.spec.subdomain == "db")
            #expect(first.metadata.labels?["statefulset.kubernetes.io/pod-name"] == "db-0")
            #expect(first.metadata.labels?["apps.kubernetes.io/pod-index"] == "0")
            #expect(first.metadata.ownerReferences?.first?.uid == set.metadata.uid)
            let revision = try #require(first.metadata.labels?["controller-revision-hash"])
            #expect(try await cluster.client.get(ControllerRevision.self, revision, namespace: "default").revision == 1)

            ready.withLock { _ = $0.insert("db-0") }
            #expect(try await eventually { try await cluster.podNames() == ["db-0", "db-1"] })
            ready.withLock { _ = $0.insert("db-1") }
            #expect(try await eventually { try await cluster.podNames() == ["db-0", "db-1", "db-2"] })
            ready.withLock { _ = $0.insert("db-2") }
            #expect(try await eventually {
                let status = try await cluster.client.get(StatefulSet.self, "db", namespace: "default").status
                return status.replicas == 3 && status.readyReplicas == 3 && status.availableReplicas == 3
                    && status.currentReplicas == 3 && status.updatedReplicas == 3 && status.currentRevision == revision
                    && status.updateRevision == revision && status.observedGeneration == 1
            })

            // Scale down from the highest ordinal: db-1 stays until db-2 is gone, and goes only while db-0 is Ready.
            ready.withLock { _ = $0.remove("db-0") }
            try await cluster.markUnready("db-0")
            try await cluster.client.patch(StatefulSet.self, "db", namespace: "default", .merge, body: Array(#"{"spec":{"replicas":1}}"#.utf8))
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await cluster.podNames() == ["db-0", "db-1", "db-2"], "no scale-down while db-0 is not Ready")
            ready.withLock { _ = $0.insert("db-0") }
            #expect(try await eventually { try await cluster.podNames() == ["db-0"] })
        }
    }

    @Test func parallelCreatesAllAtOnceAndADeletedPodComesBackUnderItsName() async throws {
        try await TestCluster.with(controllers: ["statefulset"]) { cluster in
            // Nothing becomes ready: Parallel does not wait.
            var manifest = Manifests.statefulSet("db", replicas: 3)
            manifest.spec.podManagementPolicy = "Parallel"
            _ = try await cluster.client.create(manifest)
            #expect(try await eventually { try await cluster.podNames() == ["db-0", "db-1", "db-2"] })
            let old = try await cluster.client.get(Pod.self, "db-1", namespace: "default")
            try await cluster.client.delete(Pod.self, "db-1", namespace: "default")
            #expect(try await eventually {
                let pod = try? await cluster.client.get(Pod.self, "db-1", namespace: "default")
                return pod != nil && pod?.metadata.uid != old.metadata.uid
            })
            // A failed pod is replaced under its name too.
            var failed = try await cluster.client.get(Pod.self, "db-2", namespace: "default")
            let failedUID = failed.metadata.uid
            failed.status.phase = "Failed"
            _ = try await cluster.client.updateStatus(failed)
            #expect(try await eventually {
                let pod = try? await cluster.client.get(Pod.self, "db-2", namespace: "default")
                return pod != nil && pod?.metadata.uid != failedUID && pod?.status.phase != "Failed"
            })
            try await cluster.client.patch(StatefulSet.self, "db", namespace: "default", .merge, body: Array(#"{"spec":{"replicas":0}}"#.utf8))
            #expect(try await eventually { try await cluster.podNames() == [] })
        }
    }

    @Test func rollingUpdateGoesFromTheHighestOrdinalDownToThePartition() async throws {
        try await TestCluster.with(controllers: ["statefulset"]) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            var manifest = Manifests.statefulSet("db", replicas: 3)
            var rolling = RollingUpdateStatefulSetStrategy()
            rolling.partition = 1
            manifest.spec.updateStrategy.rollingUpdate = rolling
            _ = try await cluster.client.create(manifest)
            #expect(try await eventually {
                try await cluster.client.get(StatefulSet.self, "db", namespace: "default").status.readyReplicas == 3
            })
            // Record the order in which pods take the new image.
            let order = Mutex([String]())
            let watcher = Task {
                while !Task.isCancelled {
                    for pod in (try? await cluster.pods()) ?? [] where pod.image == "db:2" {
                        order.withLock { if !$0.contains(pod.metadata.name ?? "") { $0.append(pod.metadata.name ?? "") } }
                    }
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            try await cluster.client.patch(
                StatefulSet.self, "db", namespace: "default", .strategicMerge,
                body: Array(#"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"db:2"}]}}}}"#.utf8))
            #expect(try await eventually {
                let status = try await cluster.client.get(StatefulSet.self, "db", namespace: "default").status
                return status.updatedReplicas == 2 && status.readyReplicas == 3 && status.observedGeneration == 2
            })
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await cluster.client.get(Pod.self, "db-0", namespace: "default").image == "db:1", "below the partition")
            let partitioned = try await Kubectl.run(port: cluster.port, ["rollout", "status", "statefulset/db", "--timeout=30s"])
            #expect(partitioned.status == 0, "\(partitioned.stderr)")
            #expect(partitioned.stdout.contains("partitioned roll out complete"))

            try await cluster.client.patch(
                StatefulSet.self, "db", namespace: "default", .merge,
                body: Array(#"{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}"#.utf8))
            #expect(try await eventually {
                let status = try await cluster.client.get(StatefulSet.self, "db", namespace: "default").status
                return status.updatedReplicas == 3 && status.readyReplicas == 3 && status.currentRevision == status.updateRevision
            })
            watcher.cancel()
            await watcher.value
            #expect(order.withLock { $0 } == ["db-2", "db-1", "db-0"])
            let rollout = try await Kubectl.run(port: cluster.port, ["rollout", "status", "statefulset/db", "--timeout=30s"])
            #expect(rollout.status == 0, "\(rollout.stderr)")
            #expect(rollout.stdout.contains("roll out complete"))

            let undo = try await Kubectl.run(port: cluster.port, ["rollout", "undo", "statefulset/db"])
            #expect(undo.status == 0, "\(undo.stderr)")
            #expect(try await eventually {
                let pods = try await cluster.pods()
                return pods.count == 3 && pods.allSatisfy { $0.image == "db:1" && $0.isReady }
            })
        }
    }

    @Test func onDeleteLeavesPodsUntilTheyAreDeleted() async throws {
        try await TestCluster.with(controllers: ["statefulset"]) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            var manifest = Manifests.statefulSet("db", replicas: 2)
            manifest.spec.updateStrategy.type = "OnDelete"
            _ = try await cluster.client.create(manifest)
            #expect(try await eventually {
                try await cluster.client.get(StatefulSet.self, "db", namespace: "default").status.readyReplicas == 2
            })
            try await cluster.client.patch(
                StatefulSet.self, "db", namespace: "default", .strategicMerge,
                body: Array(#"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"db:2"}]}}}}"#.utf8))
            #expect(try await eventually {
                try await cluster.client.get(StatefulSet.self, "db", namespace: "default").status.observedGeneration == 2
            })
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await cluster.pods().allSatisfy { $0.image == "db:1" })
            try await cluster.client.delete(Pod.self, "db-0", namespace: "default")
            #expect(try await eventually {
                (try? await cluster.client.get(Pod.self, "db-0", namespace: "default"))?.image == "db:2"
            })
            #expect(try await cluster.client.get(Pod.self, "db-1", namespace: "default").image == "db:1")
        }
    }
}

extension Manifests {
    static func statefulSet(_ name: String, replicas: Int32) -> StatefulSet {
        var set = StatefulSet()
        set.metadata.name = name
        set.metadata.namespace = "default"
        set.spec.replicas = replicas
        set.spec.serviceName = name
        set.spec.selector = LabelSelector(matchLabels: ["app": name])
        set.spec.template.metadata.labels = ["app": name]
        set.spec.template.spec.containers = [container(image: "\(name):1")]
        return set
    }
}

extension TestCluster {
    /// Names of the pods not being deleted, sorted.
    func podNames() async throws -> [String] {
        try await pods().filter { $0.metadata.deletionTimestamp == nil }.compactMap(\.metadata.name).sorted()
    }

    /// Plays a kubelet whose pod fails its readiness probe.
    func markUnready(_ name: String) async throws {
        while true {
            var pod = try await client.get(Pod.self, name, namespace: "default")
            var condition = PodCondition()
            condition.type = "Ready"
            condition.status = "False"
            condition.lastTransitionTime = .now()
            pod.status.conditions = [condition]
            do {
                _ = try await client.updateStatus(pod)
                return
            } catch {
                if !error.isConflict { throw error }
            }
        }
    }
}
