import SkiffAPI
import SkiffClient
import SkiffScheduler
import Testing

@Suite("Scheduler against a real API server with fake nodes", .serialized, .timeLimit(.minutes(3)))
struct SchedulerClusterTests {
    static let controlPlaneTaint = Taint(key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule")

    @Test func podsAreBoundToNodesTheyFit() async throws {
        try await TestCluster.with { cluster in
            try await cluster.createNode(Fixtures.node("cp", taints: [Self.controlPlaneTaint]))
            try await cluster.createNode(Fixtures.node("small", cpu: "500m"))
            try await cluster.createNode(Fixtures.node("ssd", labels: ["disk": "ssd"]))
            let (_, running) = try cluster.startScheduler()
            defer { running.cancel() }

            try await cluster.createPod(Fixtures.pod("big", cpu: "1"))
            var picky = Fixtures.pod("picky")
            picky.spec.nodeSelector = ["disk": "ssd"]
            try await cluster.createPod(picky)
            var tolerant = Fixtures.pod("tolerant", cpu: "1")
            tolerant.spec.nodeSelector = ["kubernetes.io/hostname": "cp"]
            tolerant.spec.tolerations = [Toleration(key: "node-role.kubernetes.io/control-plane", operator: "Exists")]
            try await cluster.createPod(tolerant)
            var other = Fixtures.pod("other-scheduler")
            other.spec.schedulerName = "someone-else"
            try await cluster.createPod(other)

            #expect(try await eventually { try await cluster.boundPods().count == 3 })
            #expect(try await cluster.pod("big").spec.nodeName == "ssd")
            #expect(try await cluster.pod("picky").spec.nodeName == "ssd")
            #expect(try await cluster.pod("tolerant").spec.nodeName == "cp")
            #expect(try await cluster.pod("other-scheduler").spec.nodeName == nil)
            let scheduled = try await cluster.client.list(
                Event.self, namespace: "default", options: ListOptions(fieldSelector: "involvedObject.name=big,reason=Scheduled"))
            #expect(try await eventually {
                try await cluster.client.list(
                    Event.self, namespace: "default", options: ListOptions(fieldSelector: "involvedObject.name=big,reason=Scheduled")
                ).items.first?.message == "Successfully assigned default/big to ssd"
            }, "\(scheduled.items)")
            running.cancel()
            await running.value
        }
    }

    @Test func unschedulablePodIsMarkedThenBindsWhenANodeAppears() async throws {
        try await TestCluster.with { cluster in
            try await cluster.createNode(Fixtures.node("small", cpu: "1"))
            try await cluster.createNode(Fixtures.node("cp1", taints: [Self.controlPlaneTaint]))
            try await cluster.createNode(Fixtures.node("cp2", taints: [Self.controlPlaneTaint]))
            let (_, running) = try cluster.startScheduler()
            defer { running.cancel() }
            try await cluster.createPod(Fixtures.pod("web", cpu: "2"))

            let message =
                "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }."
            #expect(try await eventually {
                let condition = try await cluster.pod("web").status.conditions?.first { $0.type == "PodScheduled" }
                return condition?.status == "False" && condition?.reason == "Unschedulable" && condition?.message == message
            })
            #expect(try await eventually {
                let events = try await cluster.client.list(
                    Event.self, namespace: "default", options: ListOptions(fieldSelector: "involvedObject.name=web"))
                return events.items.contains {
                    $0.reason == "FailedScheduling" && $0.type == "Warning" && $0.message == message
                        && $0.source.component == "default-scheduler"
                }
            })

            try await cluster.createNode(Fixtures.node("big", cpu: "8"))
            #expect(try await eventually { try await cluster.pod("web").spec.nodeName == "big" })
            let condition = try await cluster.pod("web").status.conditions?.first { $0.type == "PodScheduled" }
            #expect(condition?.status == "True")
            running.cancel()
            await running.value
        }
    }

    @Test func aBurstOfPodsNeverOvercommitsANode() async throws {
        try await TestCluster.with { cluster in
            for index in 0..<3 { try await cluster.createNode(Fixtures.node("n\(index)", cpu: "2")) }
            for index in 0..<10 { try await cluster.createPod(Fixtures.pod("p\(index)", cpu: "1")) }
            let (scheduler, running) = try cluster.startScheduler()
            defer { running.cancel() }
            #expect(try await eventually { try await cluster.boundPods().count == 6 })
            #expect(try await eventually { scheduler.counts.unschedulable >= 4 })
            let perNode = Dictionary(grouping: try await cluster.boundPods(), by: { $0.spec.nodeName! }).mapValues(\.count)
            #expect(perNode == ["n0": 2, "n1": 2, "n2": 2])
            #expect(scheduler.counts.bindFailures == 0)

            // A deleted pod frees its CPU, and a waiting pod takes it.
            var options = DeleteOptions()
            options.gracePeriodSeconds = 0
            let victim = try #require(try await cluster.boundPods().first)
            try await cluster.client.delete(Pod.self, victim.metadata.name!, namespace: "default", options: options)
            #expect(try await eventually {
                let bound = try await cluster.boundPods()
                return bound.count == 6 && !bound.contains { $0.metadata.name == victim.metadata.name }
            })
            running.cancel()
            await running.value
        }
    }

    @Test func withLeaderElectionOnlyTheLeaderBinds() async throws {
        try await TestCluster.with { cluster in
            for index in 0..<2 { try await cluster.createNode(Fixtures.node("n\(index)")) }
            func elected(_ identity: String) -> (inout Scheduler.Configuration) -> Void {
                { configuration in
                    var election = LeaderElector.Configuration(leaseName: "kube-scheduler", namespace: "kube-system", identity: identity)
                    // Long enough that a loaded CI machine never lets the first
                    // leader lapse; a cancelled leader releases the Lease at once.
                    election.leaseDuration = .seconds(15)
                    election.renewDeadline = .seconds(10)
                    election.retryPeriod = .milliseconds(200)
                    configuration.leaderElection = election
                }
            }
            let (first, firstTask) = try cluster.startScheduler(elected("first"))
            #expect(try await eventually {
                (try? await cluster.client.get(Lease.self, "kube-scheduler", namespace: "kube-system"))?.spec.holderIdentity == "first"
            })
            let (second, secondTask) = try cluster.startScheduler(elected("second"))
            for index in 0..<20 { try await cluster.createPod(Fixtures.pod("p\(index)")) }
            #expect(try await eventually { try await cluster.boundPods().count == 20 })
            // A scheduler counts a binding once its answer is back, a moment after
            // the pod shows as bound.
            #expect(try await eventually { first.counts.bound == 20 })
            #expect(second.counts.bound == 0)

            firstTask.cancel()
            await firstTask.value
            try await cluster.createPod(Fixtures.pod("after"))
            #expect(try await eventually { !(try await cluster.pod("after").spec.nodeName ?? "").isEmpty })
            #expect(try await eventually { second.counts.bound == 1 })
            secondTask.cancel()
            await secondTask.value
        }
    }
}
