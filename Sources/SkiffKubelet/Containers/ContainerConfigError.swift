/// Why a container cannot be made from its spec; `reason` is what `kubectl describe`
/// shows in the container's waiting state, as upstream's kubelet names it.
public struct ContainerConfigError: Error, Equatable, CustomStringConvertible {
    /// CreateContainerConfigError (a missing ConfigMap key, runAsNonRoot as root…).
    public static let configReason = "CreateContainerConfigError"

    public var reason: String
    public var message: String

    public init(reason: String = ContainerConfigError.configReason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(reason): \(message)" }
}
