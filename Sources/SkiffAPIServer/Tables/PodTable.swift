import SkiffAPI

/// Pods as upstream's printPod shows them (1.32): READY counts ready containers and
/// started sidecars, STATUS is the most telling reason of the pod or of one of its
/// containers, RESTARTS adds when the last restart happened.
enum PodTable {
    static let printer = TablePrinter(
        Pod.self,
        columns: [
            Column.name,
            Column.string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Column.string("Status", "The aggregate status of the containers in this pod."),
            Column.string(
                "Restarts",
                "The number of times the containers in this pod have been restarted and when the last container "
                    + "in this pod has restarted."),
            Column.age,
            Column.string("IP", "IP address allocated to the pod.", priority: 1),
            Column.string("Node", "The node this pod is scheduled onto.", priority: 1),
            Column.string(
                "Nominated Node", "The node this pod preempted other pods on, and may be scheduled onto.",
                priority: 1),
            Column.string("Readiness Gates", "The conditions evaluated for pod readiness.", priority: 1),
        ],
        row: row)

    static func row(_ pod: Pod, now: Time) -> TableRow {
        let summary = PodSummary(pod)
        var restarts = String(summary.restarts)
        if summary.restarts != 0, let lastRestart = summary.lastRestart {
            restarts += " (\(HumanDuration.since(lastRestart, now: now)) ago)"
        }
        let cells: [JSONValue] = [
            .string(pod.metadata.name ?? ""),
            .string("\(summary.readyContainers)/\(summary.totalContainers)"),
            .string(summary.reason),
            .string(restarts),
            .string(HumanDuration.since(pod.metadata.creationTimestamp, now: now)),
            .string(TableFormatting.nonEmpty(pod.status.podIPs?.first?.ip, or: "<none>")),
            .string(TableFormatting.nonEmpty(pod.spec.nodeName, or: "<none>")),
            .string(TableFormatting.nonEmpty(pod.status.nominatedNodeName, or: "<none>")),
            .string(readinessGates(pod)),
        ]
        return TableRow(cells: cells, conditions: completedConditions(pod.status.phase))
    }

    /// "true/all" of the pod's readiness gates, "<none>" without any.
    private static func readinessGates(_ pod: Pod) -> String {
        guard let gates = pod.spec.readinessGates, !gates.isEmpty else { return "<none>" }
        let conditions = pod.status.conditions ?? []
        let satisfied = gates.filter { gate in
            conditions.first { $0.type == gate.conditionType }?.status == ConditionStatus.true
        }
        return "\(satisfied.count)/\(gates.count)"
    }

    /// Upstream marks finished pods with a Completed row condition.
    private static func completedConditions(_ phase: String?) -> [TableRowCondition]? {
        switch phase {
        case PodPhase.succeeded:
            return [TableRowCondition(
                type: "Completed", status: ConditionStatus.true, reason: PodPhase.succeeded,
                message: "The pod has completed successfully.")]
        case PodPhase.failed:
            return [TableRowCondition(
                type: "Completed", status: ConditionStatus.true, reason: PodPhase.failed, message: "The pod failed.")]
        default:
            return nil
        }
    }
}

/// The READY, STATUS and RESTARTS of one pod, worked out in upstream's order: the
/// pod's phase or reason, then init containers, then app containers (last first, so
/// the first container's state wins), then deletion.
struct PodSummary {
    private(set) var reason: String
    private(set) var readyContainers = 0
    private(set) var totalContainers: Int
    private(set) var restarts = 0
    private(set) var lastRestart: Time?

    /// What the init containers leave for the app containers' pass.
    private struct InitProgress {
        /// Initialization still runs or failed: the reason is an "Init:…" one.
        var initializing = false
        var sidecarRestarts = 0
        var lastSidecarRestart: Time?
    }

    init(_ pod: Pod) {
        let phase = pod.status.phase ?? ""
        reason = TableFormatting.nonEmpty(pod.status.reason, or: phase)
        let conditions = pod.status.conditions ?? []
        if conditions.contains(where: { $0.type == "PodScheduled" && $0.reason == "SchedulingGated" }) {
            reason = "SchedulingGated"
        }
        let initContainers = pod.spec.initContainers ?? []
        totalContainers = pod.spec.containers.count + initContainers.filter(Self.isSidecar).count

        let progress = summarizeInitContainers(pod, specs: initContainers)
        let initialized = conditions.first { $0.type == "Initialized" }?.status == ConditionStatus.true
        if !progress.initializing || initialized {
            let podReady = conditions.contains { $0.type == "Ready" && $0.status == ConditionStatus.true }
            summarizeContainers(pod, after: progress, podReady: podReady)
        }

        if pod.metadata.deletionTimestamp != nil {
            // The node lifecycle controller marks pods on a lost node "NodeLost".
            if pod.status.reason == "NodeLost" {
                reason = "Unknown"
            } else if phase != PodPhase.succeeded && phase != PodPhase.failed {
                reason = "Terminating"
            }
        }
    }

    /// An init container with restartPolicy Always: a sidecar that keeps running.
    private static func isSidecar(_ container: Container?) -> Bool {
        container?.restartPolicy == RestartPolicy.always
    }

    /// Counts init restarts and sets an "Init:…" reason at the first init container
    /// that has neither succeeded nor started as a sidecar.
    private mutating func summarizeInitContainers(_ pod: Pod, specs: [Container]) -> InitProgress {
        // Later specs win on duplicate names, as a Go map assignment does.
        let specsByName = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        var progress = InitProgress()
        for (index, status) in (pod.status.initContainerStatuses ?? []).enumerated() {
            let isSidecar = Self.isSidecar(specsByName[status.name])
            restarts += Int(status.restartCount)
            Self.keepLatest(&lastRestart, status.lastState.terminated?.finishedAt)
            if isSidecar {
                progress.sidecarRestarts += Int(status.restartCount)
                Self.keepLatest(&progress.lastSidecarRestart, status.lastState.terminated?.finishedAt)
            }
            if let terminated = status.state.terminated, terminated.exitCode == 0 { continue }
            if isSidecar && status.started == true {
                if status.ready { readyContainers += 1 }
                continue
            }
            if let terminated = status.state.terminated {
                reason = "Init:" + Self.terminationReason(terminated)
            } else if let waiting = status.state.waiting?.reason, !waiting.isEmpty, waiting != "PodInitializing" {
                reason = "Init:" + waiting
            } else {
                reason = "Init:\(index)/\(specs.count)"
            }
            progress.initializing = true
            break
        }
        return progress
    }

    /// Restarts of sidecars and app containers, and the reason of the first container
    /// that is waiting or terminated.
    private mutating func summarizeContainers(_ pod: Pod, after progress: InitProgress, podReady: Bool) {
        // Once initialized, finished init containers' restarts no longer count.
        restarts = progress.sidecarRestarts
        lastRestart = progress.lastSidecarRestart
        var hasRunning = false
        for status in (pod.status.containerStatuses ?? []).reversed() {
            restarts += Int(status.restartCount)
            Self.keepLatest(&lastRestart, status.lastState.terminated?.finishedAt)
            if let waiting = status.state.waiting?.reason, !waiting.isEmpty {
                reason = waiting
            } else if let terminated = status.state.terminated {
                reason = Self.terminationReason(terminated)
            } else if status.ready && status.state.running != nil {
                hasRunning = true
                readyContainers += 1
            }
        }
        // A pod whose last container completed while another still runs is not completed.
        if reason == "Completed" && hasRunning {
            reason = podReady ? "Running" : "NotReady"
        }
    }

    /// The reason a container terminated, or its signal or exit code when it gave none.
    private static func terminationReason(_ terminated: ContainerStateTerminated) -> String {
        if let reason = terminated.reason, !reason.isEmpty { return reason }
        if let signal = terminated.signal, signal != 0 { return "Signal:\(signal)" }
        return "ExitCode:\(terminated.exitCode)"
    }

    private static func keepLatest(_ latest: inout Time?, _ candidate: Time?) {
        guard let candidate else { return }
        if latest.map({ $0 < candidate }) ?? true { latest = candidate }
    }
}
