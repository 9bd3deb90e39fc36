import Foundation
import SkiffAPI
import SkiffRuntime

/// The status the kubelet reports for a pod: phase, conditions, container
/// statuses and addresses, computed from the runtime's records and what the
/// sync observed, as the kubelet's generateAPIPodStatus does.
struct PodStatusBuilder {
    var pod: Pod
    var instances: ContainerInstances
    var observations: PodObservations
    var nodeIP: String
    var now = Time.now()

    static let runtimeScheme = "skiff://"

    func build() -> PodStatus {
        var status = pod.status
        let initStatuses = (pod.spec.initContainers ?? []).map { containerStatus($0, isInit: true) }
        let appStatuses = pod.spec.containers.map { containerStatus($0, isInit: false) }
        status.initContainerStatuses = initStatuses.isEmpty ? nil : initStatuses
        status.containerStatuses = appStatuses
        status.phase = phase(initStatuses: initStatuses, appStatuses: appStatuses)
        status.hostIP = nodeIP
        status.hostIPs = [HostIP(ip: nodeIP)]
        let podIPs = pod.spec.hostNetwork == true ? [nodeIP] : observations.podIPs
        status.podIP = podIPs.first
        status.podIPs = podIPs.isEmpty ? nil : podIPs.map { PodIP(ip: $0) }
        status.startTime = status.startTime ?? now
        if observations.deadlineExceeded {
            status.phase = "Failed"
            status.reason = "DeadlineExceeded"
            status.message = "Pod was active on the node longer than the specified deadline"
        }
        status.conditions = conditions(
            phase: status.phase ?? "Pending", initStatuses: initStatuses, appStatuses: appStatuses)
        return status
    }

    // MARK: Containers

    private func containerStatus(_ container: Container, isInit: Bool) -> ContainerStatus {
        var status = ContainerStatus()
        status.name = container.name
        status.image = container.image ?? ""
        let latest = instances.latest(container.name)
        let waiting = observations.waiting[container.name]
        if let latest {
            status.restartCount = Int32(ContainerInstances.attempt(of: latest))
            status.containerID = Self.runtimeScheme + latest.id
            status.imageID = latest.config.labels[PodContainerLabels.imageID] ?? ""
        }
        let previous = instances.previous(container.name).flatMap(terminated)
        switch latest?.state {
        case .running?:
            var running = ContainerStateRunning()
            running.startedAt = latest?.startedAt.map(Time.init)
            status.state.running = running
            status.started = observations.started[container.name] ?? true
            status.ready = isInit ? false : (observations.ready[container.name] ?? true)
            status.lastState.terminated = previous
        case .exited?, .created?:
            let ended = latest.flatMap(terminated)
            if let waiting {
                status.state.waiting = Self.waiting(waiting)
                status.lastState.terminated = ended
            } else {
                status.state.terminated = ended
                status.lastState.terminated = previous
            }
            status.started = false
        case nil:
            let creating = !isInit && initialized ? "ContainerCreating" : "PodInitializing"
            status.state.waiting = Self.waiting(waiting ?? PodObservations.Waiting(reason: creating))
            status.started = false
        }
        return status
    }

    /// The init containers have all completed (or there are none).
    private var initialized: Bool {
        (pod.spec.initContainers ?? []).allSatisfy { container in
            instances.latest(container.name).map { $0.state == .exited && $0.exit?.exitCode == 0 } ?? false
        }
    }

    /// A record that ended (or failed to start) as a terminated state.
    private func terminated(_ record: ContainerRecord) -> ContainerStateTerminated? {
        var terminated = ContainerStateTerminated()
        terminated.containerID = Self.runtimeScheme + record.id
        switch record.state {
        case .exited:
            guard let exit = record.exit else { return nil }
            terminated.exitCode = exit.exitCode
            terminated.signal = exit.signal > 0 ? exit.signal : nil
            terminated.reason = exit.reason
            terminated.startedAt = (exit.startedAt ?? record.startedAt).map(Time.init)
            terminated.finishedAt = exit.finishedAt.map(Time.init)
            terminated.message = TerminationMessage.read(record)
        case .created:
            guard let message = observations.startFailures[record.id] else { return nil }
            // As containerd reports a process that could not be started.
            terminated.exitCode = 128
            terminated.reason = "StartError"
            terminated.message = message
            terminated.startedAt = Time(nanosecondsSinceEpoch: 0)
            terminated.finishedAt = Time(record.createdAt)
        case .running:
            return nil
        }
        return terminated
    }

    private static func waiting(_ waiting: PodObservations.Waiting) -> ContainerStateWaiting {
        var state = ContainerStateWaiting()
        state.reason = waiting.reason
        state.message = waiting.message
        return state
    }

    // MARK: Phase

    /// Upstream's getPhase: Pending until every container has started once,
    /// Running while any runs or will restart, then Succeeded or Failed.
    private func phase(initStatuses: [ContainerStatus], appStatuses: [ContainerStatus]) -> String {
        if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" { return pod.status.phase! }
        let restartPolicy = pod.spec.restartPolicy ?? "Always"
        if !initialized {
            let initFailed = initStatuses.contains { ($0.state.terminated?.exitCode ?? 0) != 0 }
            return initFailed && restartPolicy == "Never" ? "Failed" : "Pending"
        }
        var running = 0, waiting = 0, stopped = 0, succeeded = 0
        for status in appStatuses {
            if status.state.running != nil {
                running += 1
            } else if let terminated = status.state.terminated {
                stopped += 1
                if terminated.exitCode == 0 { succeeded += 1 }
            } else if status.lastState.terminated != nil {
                stopped += 1
            } else {
                waiting += 1
            }
        }
        if waiting > 0 { return "Pending" }
        if running > 0 { return "Running" }
        if stopped > 0 {
            if restartPolicy == "Always" { return "Running" }
            if stopped == succeeded { return "Succeeded" }
            if restartPolicy == "Never" { return "Failed" }
            return "Running"
        }
        return "Pending"
    }

    // MARK: Conditions

    private func conditions(phase: String, initStatuses: [ContainerStatus], appStatuses: [ContainerStatus])
        -> [PodCondition]
    {
        let terminal = phase == "Succeeded" || phase == "Failed"
        let notInitialized = (pod.spec.initContainers ?? []).map(\.name).filter { name in
            !(initStatuses.first { $0.name == name }?.state.terminated.map { $0.exitCode == 0 } ?? false)
        }
        let unready = appStatuses.filter { !$0.ready }.map(\.name)
        var owned: [PodCondition] = []
        owned.append(condition("PodReadyToStartContainers", observations.sandboxReady && !terminal))
        owned.append(
            condition(
                "Initialized", notInitialized.isEmpty, reason: "ContainersNotInitialized",
                message: "containers with incomplete status: [\(notInitialized.joined(separator: " "))]"))
        let readyReason = terminal ? "PodCompleted" : "ContainersNotReady"
        let readyMessage = terminal ? nil : "containers with unready status: [\(unready.joined(separator: " "))]"
        owned.append(condition("ContainersReady", unready.isEmpty && !terminal, reason: readyReason, message: readyMessage))
        owned.append(condition("Ready", unready.isEmpty && !terminal, reason: readyReason, message: readyMessage))
        let ownedTypes = Set(owned.map(\.type))
        let others = (pod.status.conditions ?? []).filter { !ownedTypes.contains($0.type) }
        return others + owned
    }

    private func condition(_ type: String, _ on: Bool, reason: String? = nil, message: String? = nil) -> PodCondition {
        var condition = PodCondition(type: type, status: on ? "True" : "False")
        if !on {
            condition.reason = reason
            condition.message = message
        }
        let before = pod.status.conditions?.first { $0.type == type }
        condition.lastTransitionTime = before?.status == condition.status ? (before?.lastTransitionTime ?? now) : now
        return condition
    }
}

/// Labels the kubelet adds to its runtime containers beyond PodContainerConfig's.
enum PodContainerLabels {
    static let imageID = "io.skiff.image.id"
    /// The host file bound at the container's terminationMessagePath.
    static let terminationMessageFile = "io.skiff.termination-message-file"
}

/// The container's termination message: what it wrote to its
/// terminationMessagePath (at most 4 KiB, as upstream keeps).
enum TerminationMessage {
    static let limit = 4096

    static func read(_ record: ContainerRecord) -> String? {
        guard let path = record.config.labels[PodContainerLabels.terminationMessageFile],
            let data = FileManager.default.contents(atPath: path), !data.isEmpty
        else { return nil }
        return String(decoding: data.prefix(limit), as: UTF8.self)
    }
}
