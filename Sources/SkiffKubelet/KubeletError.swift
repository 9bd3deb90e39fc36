/// Why the kubelet cannot start or go on.
public enum KubeletError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    /// The Node could not be registered or read.
    case registration(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): "invalid kubelet configuration: \(reason)"
        case .registration(let reason): "node registration failed: \(reason)"
        }
    }
}
