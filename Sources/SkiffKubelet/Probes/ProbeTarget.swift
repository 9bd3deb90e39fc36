import SkiffAPI

/// What a probe or hook needs to reach one container.
public struct ProbeTarget: Sendable, Hashable {
    /// The container's spec: its name and its ports (for ports given by name).
    public var container: Container
    /// The runtime's id of the running container, for exec.
    public var containerID: String
    /// The pod's IP, the host of HTTP and TCP probes that name none; the node's IP for
    /// a hostNetwork pod. The kubelet reaches it from the host's network namespace.
    public var podIP: String?

    public init(container: Container, containerID: String, podIP: String?) {
        self.container = container
        self.containerID = containerID
        self.podIP = podIP
    }
}
