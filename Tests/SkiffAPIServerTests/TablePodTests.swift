import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// READY, STATUS and RESTARTS of pods, case by case as upstream's printPod words them.
@Suite struct TablePodTests {
    typealias F = TableFixtures

    private func summary(_ pod: Pod) throws -> (ready: JSONValue?, status: JSONValue?, restarts: JSONValue?) {
        let cells = try F.cells(pod)
        return (cells["Ready"], cells["Status"], cells["Restarts"])
    }

    @Test func aRunningPodIsReadyAndRunning() throws {
        var pod = F.pod()
        pod.status.phase = PodPhase.running
        pod.status.conditions = [F.condition("Ready", "True")]
        pod.status.containerStatuses = [F.running("app")]
        pod.status.podIPs = [PodIP(ip: "10.42.0.7")]
        let cells = try F.cells(pod)
        #expect(cells["Name"] == "web")
        #expect(cells["Ready"] == "1/1")
        #expect(cells["Status"] == "Running")
        #expect(cells["Restarts"] == "0")
        #expect(cells["Age"] == "60m")
        #expect(cells["IP"] == "10.42.0.7")
        #expect(cells["Node"] == "node-1")
        #expect(cells["Nominated Node"] == "<none>")
        #expect(cells["Readiness Gates"] == "<none>")
        #expect(try F.row(pod).conditions == nil)
    }

    @Test func aPendingPodShowsWhatItsContainerWaitsFor() throws {
        var pod = F.pod(containers: ["app", "log"])
        pod.status.containerStatuses = [
            F.waiting("app", reason: "ContainerCreating"), F.waiting("log", reason: "ContainerCreating"),
        ]
        let result = try summary(pod)
        #expect(result.ready == "0/2")
        #expect(result.status == "ContainerCreating")

        var unscheduled = F.pod()
        unscheduled.spec.nodeName = nil
        let cells = try F.cells(unscheduled)
        #expect(cells["Status"] == "Pending")
        #expect(cells["Ready"] == "0/1")
        #expect(cells["IP"] == "<none>" && cells["Node"] == "<none>")
    }

    @Test func aCrashLoopingPodCountsRestartsAndSaysWhenTheLastOneWas() throws {
        var pod = F.pod()
        pod.status.phase = PodPhase.running
        pod.status.containerStatuses = [
            F.restarted(F.waiting("app", reason: "CrashLoopBackOff", restarts: 5), finished: 300)
        ]
        let result = try summary(pod)
        #expect(result.ready == "0/1")
        #expect(result.status == "CrashLoopBackOff")
        #expect(result.restarts == "5 (5m ago)")
    }

    @Test func theFirstContainersStateWins() throws {
        var pod = F.pod(containers: ["app", "log"])
        pod.status.phase = PodPhase.running
        pod.status.containerStatuses = [
            F.waiting("app", reason: "ImagePullBackOff"),
            F.restarted(F.running("log", restarts: 2), finished: 90),
        ]
        let result = try summary(pod)
        #expect(result.ready == "1/2")
        #expect(result.status == "ImagePullBackOff")
        #expect(result.restarts == "2 (90s ago)")
    }

    @Test func aSucceededPodIsCompletedAndMarkedSo() throws {
        var pod = F.pod()
        pod.status.phase = PodPhase.succeeded
        pod.status.containerStatuses = [F.terminated("app", exitCode: 0, reason: "Completed")]
        let result = try summary(pod)
        #expect(result.ready == "0/1")
        #expect(result.status == "Completed")
        let condition = try #require(try F.row(pod).conditions?.first)
        #expect(condition == TableRowCondition(
            type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully."))

        var failed = F.pod()
        failed.status.phase = PodPhase.failed
        failed.status.containerStatuses = [F.terminated("app", exitCode: 137, reason: nil, signal: 9)]
        #expect(try summary(failed).status == "Signal:9")
        #expect(try F.row(failed).conditions?.first?.reason == "Failed")
        failed.status.containerStatuses = [F.terminated("app", exitCode: 2, reason: "")]
        #expect(try summary(failed).status == "ExitCode:2")
    }

    @Test func aCompletedContainerBesideARunningOneIsNotCompleted() throws {
        var pod = F.pod(containers: ["app", "job"])
        pod.status.phase = PodPhase.running
        pod.status.containerStatuses = [F.running("app"), F.terminated("job", exitCode: 0, reason: "Completed")]
        #expect(try summary(pod).status == "NotReady")
        pod.status.conditions = [F.condition("Ready", "True")]
        #expect(try summary(pod).status == "Running")
    }

    @Test func initContainersReportProgressThenTheirTrouble() throws {
        var pod = F.pod()
        pod.spec.initContainers = [Container(name: "migrate", image: "busybox")]
        pod.status.initContainerStatuses = [F.running("migrate", ready: false)]
        pod.status.containerStatuses = [F.waiting("app", reason: "PodInitializing")]
        #expect(try summary(pod).status == "Init:0/1")
        #expect(try summary(pod).ready == "0/1")

        pod.status.initContainerStatuses = [F.waiting("migrate", reason: "PodInitializing")]
        #expect(try summary(pod).status == "Init:0/1")
        pod.status.initContainerStatuses = [
            F.restarted(F.waiting("migrate", reason: "CrashLoopBackOff", restarts: 3), finished: 20)
        ]
        #expect(try summary(pod).status == "Init:CrashLoopBackOff")
        #expect(try summary(pod).restarts == "3 (20s ago)")
        pod.status.initContainerStatuses = [F.terminated("migrate", exitCode: 1, reason: "Error")]
        #expect(try summary(pod).status == "Init:Error")
        pod.status.initContainerStatuses = [F.terminated("migrate", exitCode: 3, reason: nil)]
        #expect(try summary(pod).status == "Init:ExitCode:3")
    }

    @Test func finishedInitContainersCountAsDone() throws {
        var pod = F.pod()
        pod.spec.initContainers = [Container(name: "one", image: "busybox"), Container(name: "two", image: "busybox")]
        pod.status.initContainerStatuses = [
            F.restarted(F.terminated("one", exitCode: 0, reason: "Completed"), finished: 600),
            F.running("two", ready: false),
        ]
        #expect(try summary(pod).status == "Init:1/2")

        // Once initialized, plain init containers' restarts no longer count.
        pod.status.initContainerStatuses = [
            F.terminated("one", exitCode: 0, reason: "Completed"),
            F.terminated("two", exitCode: 0, reason: "Completed"),
        ]
        pod.status.initContainerStatuses?[0].restartCount = 4
        pod.status.phase = PodPhase.running
        pod.status.containerStatuses = [F.running("app")]
        let result = try summary(pod)
        #expect(result.status == "Running")
        #expect(result.restarts == "0")
    }

    @Test func startedSidecarsCountInReadyAndRestarts() throws {
        var pod = F.pod()
        var sidecar = Container(name: "proxy", image: "envoy")
        sidecar.restartPolicy = "Always"
        pod.spec.initContainers = [sidecar]
        pod.status.phase = PodPhase.running
        pod.status.conditions = [F.condition("Initialized", "True"), F.condition("Ready", "True")]
        pod.status.initContainerStatuses = [F.restarted(F.running("proxy", restarts: 2), finished: 120)]
        pod.status.containerStatuses = [F.restarted(F.running("app", restarts: 1), finished: 600)]
        let result = try summary(pod)
        #expect(result.ready == "2/2")
        #expect(result.status == "Running")
        #expect(result.restarts == "3 (2m ago)")
    }

    @Test func aDeletedPodIsTerminatingUnlessItHasFinished() throws {
        var pod = F.pod()
        pod.status.phase = PodPhase.running
        pod.status.containerStatuses = [F.running("app")]
        pod.metadata.deletionTimestamp = F.ago(5)
        #expect(try summary(pod).status == "Terminating")

        pod.status.reason = "NodeLost"
        #expect(try summary(pod).status == "Unknown")

        var finished = F.pod()
        finished.metadata.deletionTimestamp = F.ago(5)
        finished.status.phase = PodPhase.succeeded
        finished.status.containerStatuses = [F.terminated("app", exitCode: 0, reason: "Completed")]
        #expect(try summary(finished).status == "Completed")
    }

    @Test func podReasonsAndSchedulingGatesOverrideThePhase() throws {
        var evicted = F.pod()
        evicted.status.phase = PodPhase.failed
        evicted.status.reason = "Evicted"
        #expect(try summary(evicted).status == "Evicted")

        var gated = F.pod()
        gated.spec.nodeName = nil
        gated.status.conditions = [F.condition("PodScheduled", "False", reason: "SchedulingGated")]
        #expect(try summary(gated).status == "SchedulingGated")
    }

    @Test func readinessGatesCountTheConditionsThatHold() throws {
        var pod = F.pod()
        var first = PodReadinessGate()
        first.conditionType = "example.com/lb"
        var second = PodReadinessGate()
        second.conditionType = "example.com/dns"
        pod.spec.readinessGates = [first, second]
        pod.status.conditions = [F.condition("example.com/lb", "True"), F.condition("example.com/dns", "False")]
        pod.status.nominatedNodeName = "node-2"
        let cells = try F.cells(pod)
        #expect(cells["Readiness Gates"] == "1/2")
        #expect(cells["Nominated Node"] == "node-2")
    }
}
