/// What went wrong in the runtime, in words a user can act on.
public enum RuntimeError: Error, Equatable, CustomStringConvertible {
    /// The container's configuration cannot be carried out (unknown capability, bad path…).
    case invalidConfig(String)
    case containerNotFound(String)
    case containerExists(String)
    /// The operation does not fit the container's state ("is running", "has not started").
    case invalidState(container: String, reason: String)
    /// The shim reported a failure between clone and exec, at `stage`.
    case startFailed(stage: String, errno: Int32, message: String)
    /// The skiff-shim binary is missing or could not be started.
    case shim(String)
    /// A file operation under the runtime's root failed.
    case io(String)

    public var description: String {
        switch self {
        case .invalidConfig(let message): "invalid container config: \(message)"
        case .containerNotFound(let id): "container \(id) not found"
        case .containerExists(let id): "container \(id) already exists"
        case .invalidState(let id, let reason): "container \(id) \(reason)"
        case .startFailed(let stage, let errno, let message):
            errno == 0 ? "container start failed at \(stage): \(message)"
                : "container start failed at \(stage): \(message): \(String(cString: strerror(errno)))"
        case .shim(let message): "skiff-shim: \(message)"
        case .io(let message): message
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
