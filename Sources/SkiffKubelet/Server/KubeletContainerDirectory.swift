/// What the kubelet server needs to know of the pods this node runs. The kubelet
/// core implements it from its pod manager and status cache; the server turns the
/// answers into upstream's status codes and messages.
public protocol KubeletContainerDirectory: Sendable {
    /// Every pod bound to this node that the kubelet knows of.
    func pods() async -> [KubeletPodEntry]

    /// One pod, or nil when this node has no such pod. The default looks through ``pods()``.
    func pod(namespace: String, name: String) async -> KubeletPodEntry?
}

extension KubeletContainerDirectory {
    public func pod(namespace: String, name: String) async -> KubeletPodEntry? {
        await pods().first { $0.namespace == namespace && $0.name == name }
    }
}

/// A pod as the kubelet runs it.
public struct KubeletPodEntry: Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var uid: String
    /// Every container of the spec: init, regular and ephemeral ones.
    public var containerNames: [String]
    /// The status of each container that has one, by name; a container of the spec
    /// without one has not been looked at yet ("is not available").
    public var statuses: [String: KubeletContainerStatus]
    /// The pod's network while its sandbox runs; nil when it has no running sandbox.
    public var network: KubeletPodNetwork?

    public init(
        namespace: String, name: String, uid: String, containerNames: [String],
        statuses: [String: KubeletContainerStatus] = [:], network: KubeletPodNetwork? = nil
    ) {
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.containerNames = containerNames
        self.statuses = statuses
        self.network = network
    }

    /// `name_namespace`, the kubelet's "pod full name", which some upstream messages use.
    public var fullName: String { "\(name)_\(namespace)" }
}

/// Where port-forward connections to a pod go.
public enum KubeletPodNetwork: Sendable, Hashable {
    /// hostNetwork: the node's own loopback.
    case host
    /// The pod's network namespace file (`/run/skiff/netns/<uid>`).
    case namespace(path: String)
}

/// One container instance in the runtime: what logs, exec and attach need.
public struct KubeletContainerRef: Sendable, Hashable {
    /// The runtime's container id.
    public var id: String
    /// Its CRI log file.
    public var logPath: String

    public init(id: String, logPath: String) {
        self.id = id
        self.logPath = logPath
    }
}

/// A container's state as its pod status shows it (core/v1 ContainerStatus).
public struct KubeletContainerStatus: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        /// Not started (yet): the waiting reason (`ContainerCreating`, `ErrImagePull`, …).
        case waiting(reason: String)
        case running(KubeletContainerRef)
        /// Ended; nil when its runtime container is gone.
        case terminated(KubeletContainerRef?)
    }

    public var state: State
    /// The instance before the current one, once the container has restarted
    /// (`lastState.terminated`); what `--previous` reads.
    public var lastTerminated: KubeletContainerRef?

    public init(state: State, lastTerminated: KubeletContainerRef? = nil) {
        self.state = state
        self.lastTerminated = lastTerminated
    }

    /// The current instance while it runs.
    public var running: KubeletContainerRef? {
        if case .running(let ref) = state { return ref }
        return nil
    }
}
