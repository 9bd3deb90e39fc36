import Foundation
import SkiffAPI
@testable import SkiffKubelet
@testable import SkiffRuntime
import Testing

@Suite struct PodStatusBuilderTests {
    static let uid = "0f6e5c2a-1111-2222-3333-444455556666"

    func pod(restartPolicy: String = "Always", initContainers: [String] = [], containers: [String] = ["web"]) -> Pod {
        var pod = Pod()
        pod.metadata.name = "web"
        pod.metadata.namespace = "default"
        pod.metadata.uid = Self.uid
        pod.spec.restartPolicy = restartPolicy
        func container(_ name: String) -> Container {
            var container = Container()
            container.name = name
            container.image = "busybox:latest"
            return container
        }
        pod.spec.initContainers = initContainers.isEmpty ? nil : initContainers.map(container)
        pod.spec.containers = containers.map(container)
        pod.status.phase = "Pending"
        var scheduled = PodCondition(type: "PodScheduled", status: "True")
        scheduled.lastTransitionTime = Time(nanosecondsSinceEpoch: 1_000_000_000)
        pod.status.conditions = [scheduled]
        return pod
    }

    func record(_ name: String, attempt: Int, _ state: ContainerRecord.State, exitCode: Int32 = 0) -> ContainerRecord {
        let id = ContainerInstances.id(podUID: Self.uid, container: name, attempt: attempt)
        var config = ContainerConfig(command: ["sh"], rootfs: .directory("/"))
        config.labels = [
            ContainerInstances.podUIDLabel: Self.uid, ContainerInstances.containerNameLabel: name,
            ContainerInstances.attemptLabel: String(attempt), PodContainerLabels.imageID: "sha256:abc",
        ]
        var record = ContainerRecord(
            id: id, config: config, createdAt: Date(timeIntervalSince1970: 100), state: state,
            paths: ContainerPaths(root: "/nonexistent", id: id))
        if state == .running { record.startedAt = Date(timeIntervalSince1970: 101) }
        if state == .exited {
            record.exit = ContainerExit(
                exitCode: exitCode, signal: 0, oomKilled: false, startedAt: Date(timeIntervalSince1970: 101),
                finishedAt: Date(timeIntervalSince1970: 102))
        }
        return record
    }

    func build(_ pod: Pod, _ records: [ContainerRecord], _ change: (inout PodObservations) -> Void = { _ in }) -> PodStatus {
        var observations = PodObservations()
        observations.sandboxReady = true
        observations.podIPs = ["10.42.0.9"]
        change(&observations)
        return PodStatusBuilder(
            pod: pod, instances: ContainerInstances(podUID: Self.uid, records: records), observations: observations,
            nodeIP: "192.0.2.10"
        ).build()
    }

    func condition(_ status: PodStatus, _ type: String) -> PodCondition? {
        status.conditions?.first { $0.type == type }
    }

    @Test func aRunningContainerMakesThePodRunningAndReady() {
        let status = build(pod(), [record("web", attempt: 0, .exited, exitCode: 1), record("web", attempt: 1, .running)])
        #expect(status.phase == "Running")
        #expect(status.podIP == "10.42.0.9")
        #expect(status.hostIP == "192.0.2.10")
        let container = status.containerStatuses![0]
        #expect(container.ready)
        #expect(container.started == true)
        #expect(container.restartCount == 1)
        #expect(container.containerID == "skiff://\(Self.uid)_web_1")
        #expect(container.imageID == "sha256:abc")
        #expect(container.lastState.terminated?.exitCode == 1)
        #expect(container.lastState.terminated?.reason == "Error")
        #expect(condition(status, "Ready")?.status == "True")
        #expect(condition(status, "ContainersReady")?.status == "True")
        // The scheduler's condition stays as it was.
        #expect(condition(status, "PodScheduled")?.lastTransitionTime == Time(nanosecondsSinceEpoch: 1_000_000_000))
    }

    @Test func aContainerInBackOffWaitsWithItsLastTermination() {
        let status = build(pod(), [record("web", attempt: 2, .exited, exitCode: 3)]) {
            $0.waiting["web"] = .init(reason: "CrashLoopBackOff", message: "back-off 20s restarting failed container=web")
        }
        let container = status.containerStatuses![0]
        #expect(container.state.waiting?.reason == "CrashLoopBackOff")
        #expect(container.lastState.terminated?.exitCode == 3)
        #expect(container.restartCount == 2)
        #expect(!container.ready)
        #expect(status.phase == "Running")
        #expect(condition(status, "Ready")?.status == "False")
        #expect(condition(status, "Ready")?.reason == "ContainersNotReady")
        #expect(condition(status, "Ready")?.message == "containers with unready status: [web]")
    }

    @Test func podsThatDoNotRestartEndSucceededOrFailed() {
        let succeeded = build(pod(restartPolicy: "Never"), [record("web", attempt: 0, .exited, exitCode: 0)])
        #expect(succeeded.phase == "Succeeded")
        #expect(succeeded.containerStatuses![0].state.terminated?.reason == "Completed")
        #expect(condition(succeeded, "Ready")?.reason == "PodCompleted")
        let failed = build(pod(restartPolicy: "Never"), [record("web", attempt: 0, .exited, exitCode: 2)])
        #expect(failed.phase == "Failed")
        let restarting = build(pod(restartPolicy: "OnFailure"), [record("web", attempt: 0, .exited, exitCode: 2)])
        #expect(restarting.phase == "Running")
    }

    @Test func initContainersHoldThePodPending() {
        let status = build(pod(initContainers: ["setup"]), [record("setup", attempt: 0, .running)])
        #expect(status.phase == "Pending")
        #expect(condition(status, "Initialized")?.status == "False")
        #expect(condition(status, "Initialized")?.message == "containers with incomplete status: [setup]")
        #expect(status.initContainerStatuses?[0].state.running != nil)
        #expect(status.containerStatuses?[0].state.waiting?.reason == "PodInitializing")

        let done = build(pod(initContainers: ["setup"]), [record("setup", attempt: 0, .exited, exitCode: 0)])
        #expect(condition(done, "Initialized")?.status == "True")
        #expect(done.containerStatuses?[0].state.waiting?.reason == "ContainerCreating")

        let failed = build(
            pod(restartPolicy: "Never", initContainers: ["setup"]), [record("setup", attempt: 0, .exited, exitCode: 1)])
        #expect(failed.phase == "Failed")
    }

    @Test func aContainerThatCouldNotStartIsAStartError() {
        let failed = record("web", attempt: 0, .created)
        let status = build(pod(restartPolicy: "Never"), [failed]) {
            $0.startFailures[failed.id] = "failed to start container \"web\": exec: no such file"
        }
        let terminated = status.containerStatuses![0].state.terminated
        #expect(terminated?.reason == "StartError")
        #expect(terminated?.exitCode == 128)
        #expect(terminated?.message?.contains("no such file") == true)
    }

    @Test func conditionsKeepTheirTransitionTimeWhileUnchanged() {
        var running = pod()
        let first = build(running, [record("web", attempt: 0, .running)])
        running.status = first
        let again = PodStatusBuilder(
            pod: running, instances: ContainerInstances(podUID: Self.uid, records: [record("web", attempt: 0, .running)]),
            observations: { var o = PodObservations(); o.sandboxReady = true; return o }(), nodeIP: "192.0.2.10",
            now: Time(nanosecondsSinceEpoch: 9_000_000_000_000_000_000)
        ).build()
        #expect(condition(again, "Ready")?.lastTransitionTime == condition(first, "Ready")?.lastTransitionTime)
        #expect(again.startTime == first.startTime)
    }
}

@Suite struct CrashLoopBackOffTests {
    @Test func delaysDoubleUpToTheMaximumAndStartOverAfterALongRun() {
        var backOff = CrashLoopBackOff(initial: .seconds(10), maximum: .seconds(40))
        let start = Date(timeIntervalSince1970: 1_000)
        // The first exit restarts at once; from then on each restart waits longer.
        #expect(backOff.remaining("web", since: start, now: start) == nil)
        backOff.recordFailure("web", at: start)
        #expect(backOff.remaining("web", since: start, now: start.addingTimeInterval(3))?.delay == 10)
        #expect(backOff.remaining("web", since: start, now: start.addingTimeInterval(10)) == nil)
        var failure = start
        var delays: [TimeInterval] = []
        for _ in 0..<4 {
            failure = failure.addingTimeInterval(50)
            backOff.recordFailure("web", at: failure)
            delays.append(backOff.remaining("web", since: failure, now: failure)!.delay)
        }
        #expect(delays == [20, 40, 40, 40])
        // A failure long after the last one (more than twice the maximum) starts over.
        let muchLater = failure.addingTimeInterval(81)
        backOff.recordFailure("web", at: muchLater)
        #expect(backOff.remaining("web", since: muchLater, now: muchLater)?.delay == 10)
    }

    @Test func rendersDelaysAsGoDurations() {
        #expect(CrashLoopBackOff.render(10) == "10s")
        #expect(CrashLoopBackOff.render(160) == "2m40s")
        #expect(CrashLoopBackOff.render(300) == "5m0s")
    }
}
