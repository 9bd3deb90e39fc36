/// The outcome of one probe attempt, as upstream's probers report it.
public enum ProbeResult: Sendable, Hashable {
    case success
    /// Counts as a success; the kubelet records a ProbeWarning event with the message
    /// (an HTTP probe that stopped at a redirect to another host).
    case warning(String)
    /// The container answered and is unhealthy; the message says how, and becomes
    /// the Unhealthy event ("Liveness probe failed: <message>").
    case failure(String)
    /// The probe could not be carried out (no handler, a port name that names no port,
    /// an exec that did not start). Retried, then thrown away: it changes no state.
    case unknown(String)
}

/// Which of a container's probes.
public enum ProbeKind: String, Sendable, Hashable, CaseIterable {
    case startup
    case liveness
    case readiness

    /// As events name it: "Liveness probe failed: …".
    public var eventName: String {
        switch self {
        case .startup: "Startup"
        case .liveness: "Liveness"
        case .readiness: "Readiness"
        }
    }

    /// The result a worker reports for a new container before it has probed it:
    /// not ready, not dead, not known to have started.
    var initialState: ProbeState {
        switch self {
        case .readiness: .failure
        case .liveness: .success
        case .startup: .unknown
        }
    }
}

/// A container's standing for one kind of probe, as the kubelet core acts on it.
public enum ProbeState: String, Sendable, Hashable {
    case success
    case failure
    case unknown
}
