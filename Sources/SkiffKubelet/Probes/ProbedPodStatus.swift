import Foundation

/// What the kubelet core knows of a pod, as its probe workers need it. The core sends
/// a new one whenever a container starts, restarts or ends, the pod gets its IP, or
/// its deletion is requested.
public struct ProbedPodStatus: Sendable, Hashable {
    /// The host of HTTP and TCP probes that name none.
    public var podIP: String?
    /// The pod reached Succeeded or Failed: its workers end.
    public var isTerminal: Bool
    /// The pod's deletion was requested: liveness and startup report success and stop,
    /// so that a pod shutting down is not restarted.
    public var isDeleting: Bool
    /// By container name.
    public var containers: [String: ProbedContainerStatus]

    public init(podIP: String?, isTerminal: Bool = false, isDeleting: Bool = false,
                containers: [String: ProbedContainerStatus] = [:]) {
        self.podIP = podIP
        self.isTerminal = isTerminal
        self.isDeleting = isDeleting
        self.containers = containers
    }
}

/// One container of a probed pod.
public struct ProbedContainerStatus: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case waiting
        /// `startedAt` as the runtime recorded it: initialDelaySeconds count from here.
        case running(startedAt: Date)
        case terminated
    }

    /// The runtime's id of the container; a new one means the container restarted.
    public var containerID: String
    public var state: State

    public init(containerID: String, state: State) {
        self.containerID = containerID
        self.state = state
    }
}
