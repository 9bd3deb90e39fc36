import SkiffRuntime

/// What one sync of a pod found beyond the runtime's records: why containers are
/// not running (image pulls, config errors, back-off), how probes see them, and
/// the sandbox's state. The status builder turns it and the records into status.
struct PodObservations: Sendable {
    /// Why a container waits, as `kubectl get pods` shows it (ErrImagePull,
    /// ImagePullBackOff, CreateContainerConfigError, CrashLoopBackOff…).
    struct Waiting: Sendable, Hashable {
        var reason: String
        var message: String?
    }

    var sandboxReady = false
    var podIPs: [String] = []
    var waiting: [String: Waiting] = [:]
    /// Containers whose last start failed, by runtime id: the failure's message.
    var startFailures: [String: String] = [:]
    /// Readiness and startup as probes last saw them, by container name; a
    /// container without the probe is ready (started) once running.
    var ready: [String: Bool] = [:]
    var started: [String: Bool] = [:]
    /// The pod ran longer than its activeDeadlineSeconds: it fails as a whole.
    var deadlineExceeded = false
}
