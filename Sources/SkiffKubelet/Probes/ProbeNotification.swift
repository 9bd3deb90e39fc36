/// What probe workers tell the kubelet core.
public enum ProbeNotification: Sendable, Hashable {
    /// A container's standing for one kind of probe changed: the core restarts a
    /// container whose liveness or startup probe failed and updates Ready.
    case changed(ProbeUpdate)
    /// An event to record on the pod, for an attempt that failed, errored or warned.
    case event(ProbeEvent)
}

/// A new standing of one container for one kind of probe.
public struct ProbeUpdate: Sendable, Hashable {
    public var podUID: String
    public var containerName: String
    /// The runtime's id of the container the result is about.
    public var containerID: String
    public var kind: ProbeKind
    public var state: ProbeState
    /// When a probe's failures reached its failureThreshold: the last one's message.
    public var failureMessage: String?

    public init(podUID: String, containerName: String, containerID: String, kind: ProbeKind, state: ProbeState,
                failureMessage: String? = nil) {
        self.podUID = podUID
        self.containerName = containerName
        self.containerID = containerID
        self.kind = kind
        self.state = state
        self.failureMessage = failureMessage
    }
}

/// A Warning event about a probe attempt, worded as upstream's prober words it.
public struct ProbeEvent: Sendable, Hashable {
    /// Failed and errored probes.
    public static let unhealthy = "Unhealthy"
    /// A probe that passed with a warning (a redirect to another host).
    public static let probeWarning = "ProbeWarning"

    public var podUID: String
    public var containerName: String
    public var containerID: String
    public var kind: ProbeKind
    /// `unhealthy` or `probeWarning`.
    public var reason: String
    /// "Liveness probe failed: HTTP probe failed with statuscode: 500".
    public var message: String

    public init(podUID: String, containerName: String, containerID: String, kind: ProbeKind, reason: String,
                message: String) {
        self.podUID = podUID
        self.containerName = containerName
        self.containerID = containerID
        self.kind = kind
        self.reason = reason
        self.message = message
    }
}
