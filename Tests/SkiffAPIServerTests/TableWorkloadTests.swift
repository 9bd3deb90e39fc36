import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// Workload kinds: deployments, replica sets, daemon sets, stateful sets, revisions,
/// jobs and cron jobs.
@Suite struct TableWorkloadTests {
    typealias F = TableFixtures

    private func template(_ containers: [(String, String)]) -> PodTemplateSpec {
        var template = PodTemplateSpec()
        template.spec.containers = containers.map { Container(name: $0.0, image: $0.1) }
        return template
    }

    @Test func deploymentsShowReadyOfDesiredAndTheirTemplate() throws {
        var deployment = Deployment()
        deployment.metadata = F.metadata("web", age: 200)
        deployment.spec.replicas = 3
        deployment.spec.selector = LabelSelector(matchLabels: ["app": "web", "tier": "front"])
        deployment.spec.template = template([("app", "nginx:1.25"), ("log", "busybox")])
        deployment.status.readyReplicas = 2
        deployment.status.updatedReplicas = 3
        deployment.status.availableReplicas = 2
        let cells = try F.cells(deployment)
        #expect(cells["Ready"] == "2/3")
        #expect(cells["Up-to-date"] == 3 && cells["Available"] == 2)
        #expect(cells["Age"] == "3m20s")
        #expect(cells["Containers"] == "app,log")
        #expect(cells["Images"] == "nginx:1.25,busybox")
        #expect(cells["Selector"] == "app=web,tier=front")

        deployment.status = DeploymentStatus()
        #expect(try F.cells(deployment)["Ready"] == "0/3")
    }

    @Test func replicaSetsAndDaemonSetsCountTheirPods() throws {
        var replicaSet = ReplicaSet()
        replicaSet.metadata = F.metadata("web-5d8f")
        replicaSet.spec.replicas = 2
        replicaSet.spec.selector = LabelSelector(
            matchExpressions: [LabelSelectorRequirement(key: "app", operator: "In", values: ["web", "api"])])
        replicaSet.status.replicas = 2
        replicaSet.status.readyReplicas = 1
        let cells = try F.cells(replicaSet)
        #expect(cells["Desired"] == 2 && cells["Current"] == 2 && cells["Ready"] == 1)
        #expect(cells["Selector"] == "app in (api,web)")
        replicaSet.spec.selector = nil
        #expect(try F.cells(replicaSet)["Selector"] == "<none>")

        var daemonSet = DaemonSet()
        daemonSet.metadata = F.metadata("proxy")
        daemonSet.spec.template = template([("proxy", "skiff")])
        daemonSet.spec.template.spec.nodeSelector = ["kubernetes.io/os": "linux"]
        daemonSet.status.desiredNumberScheduled = 3
        daemonSet.status.currentNumberScheduled = 3
        daemonSet.status.numberReady = 2
        let daemon = try F.cells(daemonSet)
        #expect(daemon["Desired"] == 3 && daemon["Current"] == 3 && daemon["Ready"] == 2)
        #expect(daemon["Up-to-date"] == 0 && daemon["Available"] == 0)
        #expect(daemon["Node Selector"] == "kubernetes.io/os=linux")
        #expect(daemon["Selector"] == "<none>")
    }

    @Test func statefulSetsAndRevisions() throws {
        var statefulSet = StatefulSet()
        statefulSet.metadata = F.metadata("db")
        statefulSet.spec.replicas = 3
        statefulSet.status.readyReplicas = 1
        #expect(try F.cells(statefulSet)["Ready"] == "1/3")

        var revision = ControllerRevision()
        revision.metadata = F.metadata("db-7c9f")
        revision.revision = 4
        #expect(try F.cells(revision)["Controller"] == "<none>")
        revision.metadata.ownerReferences = [
            OwnerReference(apiVersion: "apps/v1", kind: "StatefulSet", name: "db", uid: "u", controller: true)
        ]
        let cells = try F.cells(revision)
        #expect(cells["Controller"] == "statefulset.apps/db")
        #expect(cells["Revision"] == 4)
        revision.metadata.ownerReferences?[0].apiVersion = "a/b/c"
        #expect(throws: APIError.self) { try F.cells(revision) }
    }

    @Test func jobStatusCompletionsAndDuration() throws {
        var job = Job()
        job.metadata = F.metadata("backup")
        job.spec.completions = 1
        job.status.startTime = F.ago(125)
        job.status.succeeded = 0
        var cells = try F.cells(job)
        #expect(cells["Status"] == "Running")
        #expect(cells["Completions"] == "0/1")
        #expect(cells["Duration"] == "2m5s")

        var complete = JobCondition()
        complete.type = "Complete"
        complete.status = "True"
        job.status.conditions = [complete]
        job.status.succeeded = 1
        job.status.completionTime = F.ago(65)
        cells = try F.cells(job)
        #expect(cells["Status"] == "Complete")
        #expect(cells["Completions"] == "1/1")
        #expect(cells["Duration"] == "60s")

        var parallel = Job()
        parallel.metadata = F.metadata("crunch")
        parallel.spec.parallelism = 4
        parallel.metadata.deletionTimestamp = F.ago(1)
        cells = try F.cells(parallel)
        #expect(cells["Completions"] == "0/1 of 4")
        #expect(cells["Duration"] == "")
        #expect(cells["Status"] == "Terminating")

        var suspended = JobCondition()
        suspended.type = "Suspended"
        suspended.status = "True"
        parallel.metadata.deletionTimestamp = nil
        parallel.status.conditions = [suspended]
        #expect(try F.cells(parallel)["Status"] == "Suspended")
    }

    @Test func cronJobsShowScheduleAndLastRun() throws {
        var cronJob = CronJob()
        cronJob.metadata = F.metadata("nightly")
        cronJob.spec.schedule = "0 3 * * *"
        cronJob.spec.suspend = false
        var cells = try F.cells(cronJob)
        #expect(cells["Schedule"] == "0 3 * * *")
        #expect(cells["Timezone"] == "<none>")
        #expect(cells["Suspend"] == "False")
        #expect(cells["Active"] == 0)
        #expect(cells["Last Schedule"] == "<none>")

        cronJob.spec.timeZone = "Europe/Paris"
        cronJob.spec.suspend = nil
        cronJob.status.lastScheduleTime = F.ago(7200)
        cronJob.status.active = [ObjectReference(kind: "Job", name: "nightly-1")]
        cells = try F.cells(cronJob)
        #expect(cells["Timezone"] == "Europe/Paris")
        #expect(cells["Suspend"] == "<unset>")
        #expect(cells["Active"] == 1)
        #expect(cells["Last Schedule"] == "120m")
    }
}
