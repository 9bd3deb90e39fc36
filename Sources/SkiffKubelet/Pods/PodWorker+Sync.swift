import Foundation
import SkiffAPI
import SkiffRuntime

extension PodWorker {
    /// One pass over a pod that should run: its sandbox, its volumes, its init
    /// containers in order, then its containers, each started, left running,
    /// restarted (after back-off) or left ended by the restart policy; then its
    /// status. Every step is idempotent, so a pass may stop at any failure and
    /// the next one carries on.
    func sync() async {
        if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" {
            await stopTerminalPod()
            return
        }
        var observations = PodObservations()
        if let remaining = activeDeadlineRemaining {
            guard remaining <= 0 else { return await syncRunning(observations, deadlineIn: remaining) }
            event(.normal, "DeadlineExceeded", "Pod was active on the node longer than the specified deadline")
            await stopContainers(gracePeriod: Double(gracePeriodSeconds))
            observations.deadlineExceeded = true
            await report(PodStatusBuilder(pod: pod, instances: await instances(), observations: observations, nodeIP: nodeIP).build())
            return
        }
        await syncRunning(observations, deadlineIn: nil)
    }

    /// Seconds left of the pod's activeDeadlineSeconds, counted from its start on this node.
    private var activeDeadlineRemaining: TimeInterval? {
        guard let deadline = pod.spec.activeDeadlineSeconds else { return nil }
        let started = pod.status.startTime?.date ?? Date()
        return started.addingTimeInterval(TimeInterval(deadline)).timeIntervalSinceNow
    }

    private func syncRunning(_ initial: PodObservations, deadlineIn: TimeInterval?) async {
        var observations = initial
        if let deadlineIn { soon(deadlineIn) }
        guard let sandbox = await ensureSandbox() else {
            await report(PodStatusBuilder(pod: pod, instances: await instances(), observations: observations, nodeIP: nodeIP).build())
            return
        }
        observations.sandboxReady = true
        observations.podIPs = sandbox.podIPs
        let volumes: [String: String]
        do {
            volumes = try await services.volumes.setUp(
                pod: pod, source: services.configSource, nodeAllocatable: services.nodeAllocatable)
        } catch {
            // VolumeError reads as upstream's: MountVolume.SetUp failed for volume "config" : configmap "x" not found
            event(.warning, "FailedMount", "\(error)")
            soon(2)
            await report(PodStatusBuilder(pod: pod, instances: await instances(), observations: observations, nodeIP: nodeIP).build())
            return
        }
        let context = StartContext(sandbox: sandbox, volumes: volumes)
        var current = await instances()
        if await runInitContainers(current, context, &observations) {
            for container in pod.spec.containers {
                await runContainer(container, current, context, &observations)
            }
        }
        current = await instances()
        await removeSuperseded(current)
        await tellProbes(current, podIP: sandbox.podIPs.first)
        for container in (pod.spec.initContainers ?? []) + pod.spec.containers {
            observations.ready[container.name] = await services.probes.isReady(podUID: uid, containerName: container.name)
            observations.started[container.name] = await services.probes.isStarted(podUID: uid, containerName: container.name)
        }
        observations.startFailures = startFailures
        await report(PodStatusBuilder(pod: pod, instances: current, observations: observations, nodeIP: nodeIP).build())
    }

    struct StartContext {
        var sandbox: PodSandbox
        var volumes: [String: String]
    }

    var nodeIP: String { services.configuration.nodeIP }

    /// Asks for a sync within `seconds`, sooner than the resync interval.
    func soon(_ seconds: TimeInterval) {
        nextSyncWithin = min(nextSyncWithin ?? seconds, seconds)
    }

    // MARK: Sandbox

    private func ensureSandbox() async -> PodSandbox? {
        if let existing = services.sandboxes.sandbox(id: uid) {
            if existing.ready { return existing }
            // Left half made by a crash: undo it and make it again.
            try? await services.sandboxes.remove(id: uid)
        }
        do {
            return try await services.sandboxes.create(PodSandboxConfig(pod: pod, clusterDomain: services.configuration.clusterDomain))
        } catch {
            event(.warning, "FailedCreatePodSandBox", "Failed to create pod sandbox: \(error)")
            soon(Double(min(10, 1 << min(failedSandboxAttempts, 4))))
            failedSandboxAttempts += 1
            return nil
        }
    }

    // MARK: Containers

    /// Runs init containers one at a time, each to success; true when all have
    /// succeeded and the containers may start.
    private func runInitContainers(
        _ current: ContainerInstances, _ context: StartContext, _ observations: inout PodObservations
    ) async -> Bool {
        for container in pod.spec.initContainers ?? [] {
            guard let latest = current.latest(container.name) else {
                await start(container, attempt: 0, context, &observations)
                return false
            }
            switch latest.state {
            case .running:
                return false
            case .exited where latest.exit?.exitCode == 0:
                continue
            case .exited, .created:
                // The status builder turns a failed init container of a Never pod into phase Failed.
                if (pod.spec.restartPolicy ?? "Always") == "Never" { return false }
                await restartAfterBackOff(container, latest, attempt: current.nextAttempt(container.name), context, &observations)
                return false
            }
        }
        return true
    }

    private func runContainer(
        _ container: Container, _ current: ContainerInstances, _ context: StartContext, _ observations: inout PodObservations
    ) async {
        guard let latest = current.latest(container.name) else {
            await start(container, attempt: 0, context, &observations)
            return
        }
        switch latest.state {
        case .running:
            await restartIfUnhealthy(container, latest)
        case .exited, .created:
            let failed = latest.state == .created || (latest.exit?.exitCode ?? 1) != 0
            switch pod.spec.restartPolicy ?? "Always" {
            case "Never": return
            case "OnFailure" where !failed: return
            default:
                await restartAfterBackOff(container, latest, attempt: current.nextAttempt(container.name), context, &observations)
            }
        }
    }

    /// Restarts an ended container unless it is in back-off, in which case it
    /// waits as CrashLoopBackOff and the worker syncs again when the back-off ends.
    private func restartAfterBackOff(
        _ container: Container, _ latest: ContainerRecord, attempt: Int, _ context: StartContext,
        _ observations: inout PodObservations
    ) async {
        let key = container.name
        let finished = latest.exit?.finishedAt ?? latest.createdAt
        if let wait = crashBackOff.remaining(key, since: finished) {
            observations.waiting[container.name] = .init(
                reason: "CrashLoopBackOff",
                message: "back-off \(CrashLoopBackOff.render(wait.delay)) restarting failed container=\(container.name) pod=\(podDescription)")
            event(.warning, "BackOff", "Back-off restarting failed container \(container.name) in pod \(podDescription)", container: container.name)
            soon(wait.remaining)
            return
        }
        crashBackOff.recordFailure(key, at: finished)
        await start(container, attempt: attempt, context, &observations)
    }

    /// A container whose liveness or startup probe failed is killed; the next
    /// sync restarts it as its restart policy says.
    private func restartIfUnhealthy(_ container: Container, _ latest: ContainerRecord) async {
        let probes = services.probes
        var failed: String?
        if await probes.state(.liveness, podUID: uid, containerName: container.name) == .failure {
            failed = "liveness"
        } else if await probes.state(.startup, podUID: uid, containerName: container.name) == .failure {
            failed = "startup"
        }
        guard let failed else { return }
        event(.normal, "Killing", "Container \(container.name) failed \(failed) probe, will be restarted", container: container.name)
        let probe = failed == "liveness" ? container.livenessProbe : container.startupProbe
        let grace = probe?.terminationGracePeriodSeconds ?? gracePeriodSeconds
        _ = try? await services.runtime.stop(id: latest.id, gracePeriod: Double(grace))
        soon(0.05)
    }

    /// What the probe workers need: each container's current instance and state.
    func tellProbes(_ current: ContainerInstances, podIP: String?) async {
        var containers: [String: ProbedContainerStatus] = [:]
        for (name, records) in current.byName {
            guard let latest = records.last else { continue }
            let state: ProbedContainerStatus.State =
                switch latest.state {
                case .running: .running(startedAt: latest.startedAt ?? Date())
                case .exited: .terminated
                case .created: .waiting
                }
            containers[name] = ProbedContainerStatus(containerID: latest.id, state: state)
        }
        let terminal = pod.status.phase == "Succeeded" || pod.status.phase == "Failed"
        await services.probes.updatePodStatus(
            uid: uid,
            ProbedPodStatus(
                podIP: podIP ?? pod.status.podIP, isTerminal: terminal, isDeleting: pod.metadata.deletionTimestamp != nil,
                containers: containers))
    }

    private func removeSuperseded(_ current: ContainerInstances) async {
        for record in current.superseded {
            try? await services.runtime.remove(id: record.id)
            startFailures[record.id] = nil
        }
    }
}
