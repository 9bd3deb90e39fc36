#if canImport(Glibc)
import Glibc
#endif

/// What went wrong while giving a pod its sandbox (namespaces, network, files), in
/// words a user can act on. Shown as the pod's reason when its sandbox cannot be made.
public enum SandboxError: Error, Equatable, CustomStringConvertible {
    /// A sandbox id, namespace name, conflist or pod setting that cannot be used.
    case invalidConfig(String)
    /// A system call on a namespace failed: `operation` names it and the path.
    case namespace(operation: String, errno: Int32)
    /// No executable for a plugin `type` in any of the plugin directories.
    case pluginNotFound(type: String, directories: [String])
    /// A CNI plugin answered with an error (CNI's `{"code", "msg", "details"}`).
    case plugin(CNIPluginFailure)
    /// host-local has no free address left in the node's pod CIDR.
    case addressesExhausted(network: String, ranges: [String], message: String)
    case sandboxExists(String)
    /// A file operation under the sandbox directories failed.
    case io(String)

    public var description: String {
        switch self {
        case .invalidConfig(let message): "invalid sandbox config: \(message)"
        case .namespace(let operation, let errno): "\(operation): \(String(cString: strerror(errno)))"
        case .pluginNotFound(let type, let directories):
            "CNI plugin \(type) not found in \(directories.joined(separator: ":"))"
        case .plugin(let failure): failure.description
        case .addressesExhausted(let network, let ranges, let message):
            "the node is out of pod IP addresses: network \(network) has no free address in \(ranges.joined(separator: ", ")) (\(message))"
        case .sandboxExists(let id): "pod sandbox \(id) already exists"
        case .io(let message): message
        }
    }
}

/// A plugin's error reply, with what the runtime was doing when it came.
public struct CNIPluginFailure: Sendable, Hashable, CustomStringConvertible {
    public var network: String
    public var plugin: String
    public var command: String
    /// CNI's error code: 1–99 are the spec's (e.g. 7 invalid network config, 11 try
    /// again later), 100+ the plugin's own; nil when the plugin printed no error JSON.
    public var code: Int?
    public var message: String
    public var details: String?

    public var description: String {
        var text = "CNI \(command) of network \(network) failed in plugin \(plugin)"
        if let code { text += " (code \(code))" }
        text += ": \(message)"
        if let details, !details.isEmpty { text += ": \(details)" }
        return text
    }
}
