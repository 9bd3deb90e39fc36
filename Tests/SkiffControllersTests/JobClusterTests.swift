import SkiffAPI
import SkiffClient
import Testing

@testable import SkiffControllers

/// The job controller against the real API server; the tests play the kubelet
/// by writing pod phases.
@Suite(.serialized) struct JobClusterTests {
    static func quickBackoff(_ configuration: inout ControllerManager.Configuration) {
        configuration.jobPodFailureBackoff = ExponentialBackoff(base: .milliseconds(10), maximum: .milliseconds(100))
    }

    @Test func runsCompletionsWithAtMostParallelismPodsAtOnce() async throws {
        try await TestCluster.with(controllers: ["job"]) { cluster in
            let job = try await cluster.client.create(Manifests.job("work", completions: 5, parallelism: 2))
            var mostActive = 0
            #expect(try await eventually {
                let pods = try await cluster.jobPods("work")
                let active = pods.filter(\.isActive)
                let succeeded = pods.filter { $0.status.phase == "Succeeded" }.count
                mostActive = max(mostActive, active.count)
                if try await cluster.job("work").hasCondition("Complete") { return true }
                // Finish a pod only once as many run as parallelism allows for what
                // remains, so a controller that never runs two at once cannot pass.
                if active.count >= min(2, 5 - succeeded), let running = active.first {
                    try await cluster.finish(running, "Succeeded")
                }
                return false
            })
            #expect(mostActive == 2)
            let done = try await cluster.job("work")
            #expect(done.status.succeeded == 5 && (done.status.failed ?? 0) == 0 && done.status.active == 0)
            #expect(done.hasCondition("SuccessCriteriaMet", reason: "CompletionsReached"))
            let complete = try #require(done.status.conditions?.first { $0.type == "Complete" })
            #expect(complete.reason == "CompletionsReached" && complete.message == "Reached expected number of succeeded pods")
            #expect(done.status.startTime != nil && done.status.completionTime != nil)
            #expect(done.status.uncountedTerminatedPods == UncountedTerminatedPods())

            let pods = try await cluster.jobPods("work")
            #expect(pods.count == 5)
            for pod in pods {
                #expect(pod.metadata.labels?["batch.kubernetes.io/controller-uid"] == job.metadata.uid)
                #expect(pod.metadata.controllerReference?.uid == job.metadata.uid)
                #expect(!(pod.metadata.finalizers ?? []).contains("batch.kubernetes.io/job-tracking"))
            }
        }
    }

    @Test func failsAfterBackoffLimitFailedPods() async throws {
        try await TestCluster.with(controllers: ["job"], configure: Self.quickBackoff) { cluster in
            try await cluster.client.create(Manifests.job("flaky", backoffLimit: 2))
            #expect(try await eventually {
                if try await cluster.job("flaky").hasCondition("Failed") { return true }
                try await cluster.finishPods(of: "flaky", "Failed")
                return false
            })
            let failed = try await cluster.job("flaky")
            // backoffLimit 2: the third failure fails the job, first as FailureTarget.
            #expect(failed.status.failed == 3 && failed.status.active == 0 && (failed.status.succeeded ?? 0) == 0)
            for type in ["FailureTarget", "Failed"] {
                let condition = try #require(failed.status.conditions?.first { $0.type == type })
                #expect(condition.reason == "BackoffLimitExceeded")
                #expect(condition.message == "Job has reached the specified backoff limit")
            }
            #expect(failed.status.completionTime == nil)
            #expect(try await cluster.jobPods("flaky").count == 3)
        }
    }

    @Test func onFailureCountsContainerRestarts() async throws {
        try await TestCluster.with(controllers: ["job"]) { cluster in
            try await cluster.client.create(Manifests.job("restarts", backoffLimit: 2, restartPolicy: "OnFailure"))
            #expect(try await eventually { try await cluster.jobPods("restarts").count == 1 })
            var pod = try #require(try await cluster.jobPods("restarts").first)
            pod.status.phase = "Running"
            var container = ContainerStatus()
            container.name = "web"
            container.restartCount = 2
            pod.status.containerStatuses = [container]
            try await cluster.client.updateStatus(pod)
            #expect(try await eventually {
                try await cluster.job("restarts").hasCondition("Failed", reason: "BackoffLimitExceeded")
            })
            // The restarting pod was stopped.
            #expect(try await eventually { try await cluster.jobPods("restarts").isEmpty })
        }
    }

    @Test func activeDeadlineStopsTheJob() async throws {
        try await TestCluster.with(controllers: ["job"]) { cluster in
            var manifest = Manifests.job("slow", completions: 2, parallelism: 2)
            manifest.spec.activeDeadlineSeconds = 1
            try await cluster.client.create(manifest)
            #expect(try await eventually { try await cluster.job("slow").hasCondition("Failed") })
            let failed = try await cluster.job("slow")
            let condition = try #require(failed.status.conditions?.first { $0.type == "Failed" })
            #expect(condition.reason == "DeadlineExceeded" && condition.message == "Job was active longer than specified deadline")
            #expect(failed.status.active == 0 && failed.status.failed == 2)
            #expect(try await eventually { try await cluster.jobPods("slow").isEmpty })
        }
    }

    @Test func aDeletedPodIsStillCountedAndReplaced() async throws {
        try await TestCluster.with(controllers: ["job"], configure: Self.quickBackoff) { cluster in
            try await cluster.client.create(Manifests.job("victim", backoffLimit: 3))
            #expect(try await eventually { try await cluster.jobPods("victim").count == 1 })
            let first = try #require(try await cluster.jobPods("victim").first)
            try await cluster.client.delete(Pod.self, first.metadata.name ?? "", namespace: "default")
            #expect(try await eventually {
                let pods = try await cluster.jobPods("victim")
                return try await cluster.job("victim").status.failed == 1 && pods.count == 1
                    && pods[0].metadata.uid != first.metadata.uid
            })
        }
    }

    @Test func indexedJobsGiveEachPodItsIndex() async throws {
        try await TestCluster.with(controllers: ["job"], configure: Self.quickBackoff) { cluster in
            var manifest = Manifests.job("indexed", completions: 3, parallelism: 3)
            manifest.spec.completionMode = "Indexed"
            try await cluster.client.create(manifest)
            #expect(try await eventually { try await cluster.jobPods("indexed").count == 3 })
            let pods = try await cluster.jobPods("indexed")
            let key = "batch.kubernetes.io/job-completion-index"
            #expect(Set(pods.compactMap { $0.metadata.annotations?[key] }) == ["0", "1", "2"])
            for pod in pods {
                let index = try #require(pod.metadata.annotations?[key])
                #expect(pod.metadata.labels?[key] == index)
                #expect(pod.metadata.name?.hasPrefix("indexed-\(index)-") == true)
                #expect(pod.spec.hostname == "indexed-\(index)")
                let variable = pod.spec.containers[0].env?.first { $0.name == "JOB_COMPLETION_INDEX" }
                #expect(variable?.valueFrom?.fieldRef?.fieldPath == "metadata.annotations['\(key)']")
            }

            // Index 1 succeeds; index 0 fails and is run again under the same index.
            try await cluster.finishPods(of: "indexed", "Succeeded") { $0.metadata.annotations?[key] == "1" }
            try await cluster.finishPods(of: "indexed", "Failed") { $0.metadata.annotations?[key] == "0" }
            #expect(try await eventually {
                let job = try await cluster.job("indexed")
                let zeros = try await cluster.jobPods("indexed").filter { $0.metadata.annotations?[key] == "0" }
                return job.status.completedIndexes == "1" && job.status.failed == 1 && zeros.filter(\.isActive).count == 1
            })
            #expect(try await eventually {
                if try await cluster.job("indexed").hasCondition("Complete") { return true }
                try await cluster.finishPods(of: "indexed", "Succeeded")
                return false
            })
            let done = try await cluster.job("indexed")
            #expect(done.status.completedIndexes == "0-2" && done.status.succeeded == 3 && done.status.failed == 1)
        }
    }

    @Test func suspendedJobsRunNothingUntilResumed() async throws {
        try await TestCluster.with(controllers: ["job"]) { cluster in
            var manifest = Manifests.job("later", completions: 2, parallelism: 2)
            manifest.spec.suspend = true
            try await cluster.client.create(manifest)
            #expect(try await eventually { try await cluster.job("later").hasCondition("Suspended", reason: "JobSuspended") })
            #expect(try await cluster.jobPods("later").isEmpty)
            #expect(try await cluster.job("later").status.startTime == nil)
            try await cluster.client.patch(
                Job.self, "later", namespace: "default", .merge, body: Array(#"{"spec":{"suspend":false}}"#.utf8))
            #expect(try await eventually { try await cluster.jobPods("later").filter(\.isActive).count == 2 })
            // The controller creates the pods first and writes the Job's status after:
            // a read between the two sees the pods and the old status.
            #expect(try await eventually {
                let resumed = try await cluster.job("later")
                let condition = resumed.status.conditions?.first { $0.type == "Suspended" }
                return condition?.status == "False" && condition?.reason == "JobResumed" && resumed.status.startTime != nil
            })
        }
    }

    @Test func ttlAfterFinishedDeletesTheJobAndItsPods() async throws {
        try await TestCluster.with(controllers: ["job", "ttl-after-finished", "garbagecollector"]) { cluster in
            var manifest = Manifests.job("brief")
            manifest.spec.ttlSecondsAfterFinished = 0
            try await cluster.client.create(manifest)
            #expect(try await eventually {
                do {
                    _ = try await cluster.job("brief")
                } catch {
                    if (error as? ClientError)?.isNotFound == true { return true }
                    throw error
                }
                try await cluster.finishPods(of: "brief", "Succeeded")
                return false
            })
            #expect(try await eventually { try await cluster.jobPods("brief").isEmpty })
        }
    }
}
