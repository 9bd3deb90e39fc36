import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffControllers

@Suite(.serialized) struct ReplicaSetClusterTests {
    @Test func keepsExactlyTheReplicasAndReportsThem() async throws {
        try await TestCluster.with(controllers: ["replicaset"]) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            let set = try await cluster.client.create(Manifests.replicaSet("web", replicas: 3))
            #expect(try await eventually { try await cluster.pods().count == 3 })
            let pods = try await cluster.pods()
            for pod in pods {
                #expect(pod.metadata.name?.hasPrefix("web-") == true)
                let owner = pod.metadata.ownerReferences?.first
                #expect(owner?.uid == set.metadata.uid && owner?.kind == "ReplicaSet")
                #expect(owner?.controller == true && owner?.blockOwnerDeletion == true)
            }
            #expect(try await eventually {
                let status = try await cluster.client.get(ReplicaSet.self, "web", namespace: "default").status
                return status.replicas == 3 && status.readyReplicas == 3 && status.availableReplicas == 3
                    && status.fullyLabeledReplicas == 3 && status.observedGeneration == 1
            })

            // A deleted pod is replaced.
            let victim = pods[0].metadata.name ?? ""
            try await cluster.client.delete(Pod.self, victim, namespace: "default")
            #expect(try await eventually {
                let names = try await cluster.pods().map { $0.metadata.name ?? "" }
                return names.count == 3 && !names.contains(victim)
            })

            // Scaling down deletes the extra pods and no more.
            try await cluster.client.patch(
                ReplicaSet.self, "web", namespace: "default", .merge, body: Array(#"{"spec":{"replicas":1}}"#.utf8))
            #expect(try await eventually { try await cluster.pods().count == 1 })
            #expect(try await eventually {
                let set = try await cluster.client.get(ReplicaSet.self, "web", namespace: "default")
                return set.status.replicas == 1 && set.status.observedGeneration == 2
            })
            // Still one after the controller has had time to overshoot.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await cluster.pods().count == 1)
        }
    }

    @Test func adoptsMatchingOrphansAndReleasesPodsThatStopMatching() async throws {
        try await TestCluster.with(controllers: ["replicaset"]) { cluster in
            var orphan = Pod()
            orphan.metadata.name = "orphan"
            orphan.metadata.namespace = "default"
            orphan.metadata.labels = ["app": "web"]
            orphan.spec.containers = [Manifests.container(image: "nginx:1")]
            orphan.spec.nodeName = "n1"
            // Running and Ready on a node: if the set's cache sees the orphan only after
            // creating two pods of its own, the scale-down keeps it (upstream's ranking).
            try await cluster.client.updateStatus(FakeKubelet.running(try await cluster.client.create(orphan)))
            let set = try await cluster.client.create(Manifests.replicaSet("web", replicas: 2))
            #expect(try await eventually {
                let adopted = try await cluster.client.get(Pod.self, "orphan", namespace: "default")
                return adopted.metadata.controllerReference?.uid == set.metadata.uid
            })
            #expect(try await eventually { try await cluster.pods().count == 2 })

            // Relabelled, it leaves the set, which makes another pod in its place.
            try await cluster.client.patch(
                Pod.self, "orphan", namespace: "default", .merge, body: Array(#"{"metadata":{"labels":{"app":"other"}}}"#.utf8))
            #expect(try await eventually {
                let released = try await cluster.client.get(Pod.self, "orphan", namespace: "default")
                return released.metadata.controllerReference == nil
            })
            #expect(try await eventually { try await cluster.pods("app=web").count == 2 })
        }
    }

    @Test func createFailuresShowAsReplicaFailure() async throws {
        try await TestCluster.with(controllers: ["replicaset"]) { cluster in
            // Accepted in a replica set's template, refused by pod admission: a
            // mirror pod may not name a service account.
            var invalid = Manifests.replicaSet("bad", replicas: 2)
            invalid.spec.template.metadata.annotations = ["kubernetes.io/config.mirror": "x"]
            invalid.spec.template.spec.serviceAccountName = "default"
            try await cluster.client.create(invalid)
            #expect(try await eventually {
                let status = try await cluster.client.get(ReplicaSet.self, "bad", namespace: "default").status
                return status.conditions?.contains { $0.type == "ReplicaFailure" && $0.reason == "FailedCreate" } == true
            })
            #expect(try await cluster.pods().isEmpty)
        }
    }
}

@Suite struct SlowStartTests {
    @Test func batchesDoubleAndStopAtTheFirstFailingBatch() async {
        let calls = Counter()
        let (succeeded, error) = await SlowStart.run(10) { () async throws(ClientError) in
            // Calls 1, 2–3 and 4–7 are the first three batches; fail from the fourth call on.
            if calls.increment() >= 4 { throw ClientError(code: 403, reason: .forbidden, message: "quota") }
        }
        #expect(error?.message == "quota")
        #expect(succeeded == 3)
        // The batch of four ran, the batch of three after it did not.
        #expect(calls.value == 7)
    }

    @Test func allSucceedInBatchesOfOneTwoFourAndTheRest() async {
        let calls = Counter()
        let (succeeded, error) = await SlowStart.run(10) { () async throws(ClientError) in _ = calls.increment() }
        #expect(error == nil && succeeded == 10 && calls.value == 10)
    }
}

import Synchronization

final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() -> Int { count.withLock { $0 += 1; return $0 } }
    var value: Int { count.withLock { $0 } }
}
