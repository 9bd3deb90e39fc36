import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffControllers

/// `kubectl delete` with each cascade mode and `kubectl create job` + `kubectl
/// wait`, with the real kubectl against the in-process cluster.
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: Kubectl.path != nil, "kubectl is not on PATH"))
struct WorkloadKubectlTests {
    static let controllers: Set<String> = ["replicaset", "deployment", "garbagecollector", "job"]

    func deploy(_ cluster: TestCluster) async throws {
        try await cluster.client.create(
            Manifests.deployment("web", replicas: 2, image: "nginx:1", maxSurge: .int(1), maxUnavailable: .int(0)))
        #expect(try await eventually { try await cluster.pods().count == 2 })
    }

    @Test func deleteDeploymentCascadesInTheBackground() async throws {
        try await TestCluster.with(controllers: Self.controllers) { cluster in
            try await deploy(cluster)
            let deleted = try await Kubectl.run(port: cluster.port, ["delete", "deployment", "web"])
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(deleted.stdout == "deployment.apps \"web\" deleted\n")
            #expect(try await eventually { try await cluster.workloadsGone() })
        }
    }

    @Test func deleteReplicaSetWithCascadeOrphanKeepsThePods() async throws {
        try await TestCluster.with(controllers: Self.controllers) { cluster in
            try await deploy(cluster)
            let set = try #require(try await cluster.replicaSets().first)
            // Without its deployment, nothing would make the replica set again.
            let orphaned = try await Kubectl.run(port: cluster.port, ["delete", "deployment", "web", "--cascade=orphan"])
            #expect(orphaned.status == 0, "\(orphaned.stderr)")
            let deleted = try await Kubectl.run(
                port: cluster.port, ["delete", "rs", set.metadata.name ?? "", "--cascade=orphan"])
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(try await eventually { try await cluster.replicaSets().isEmpty })
            let pods = try await cluster.pods()
            #expect(pods.count == 2 && pods.allSatisfy { ($0.metadata.ownerReferences ?? []).isEmpty })
        }
    }

    @Test func deleteDeploymentInTheForegroundWaitsForItsDependents() async throws {
        try await TestCluster.with(controllers: Self.controllers) { cluster in
            try await deploy(cluster)
            let deleted = try await Kubectl.run(port: cluster.port, ["delete", "deployment", "web", "--cascade=foreground"])
            #expect(deleted.status == 0, "\(deleted.stderr)")
            // kubectl returns once the deployment is gone, which is after its dependents.
            let sets = try await cluster.replicaSets()
            let pods = try await cluster.pods()
            #expect(sets.isEmpty && pods.isEmpty)
        }
    }

    @Test func createJobAndWaitForCompletion() async throws {
        try await TestCluster.with(controllers: Self.controllers) { cluster in
            let created = try await Kubectl.run(port: cluster.port, ["create", "job", "pi", "--image=busybox:1", "--", "true"])
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.stdout == "job.batch/pi created\n")
            // kubectl waits (watching) while the "kubelet" runs the pod to completion.
            async let waiting = Kubectl.run(port: cluster.port, ["wait", "--for=condition=complete", "job/pi", "--timeout=60s"])
            #expect(try await eventually {
                if try await cluster.job("pi").hasCondition("Complete") { return true }
                try await cluster.finishPods(of: "pi", "Succeeded")
                return false
            })
            let waited = try await waiting
            #expect(waited.status == 0, "\(waited.stderr)")
            #expect(waited.stdout == "job.batch/pi condition met\n")
        }
    }
}
