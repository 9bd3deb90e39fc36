#if canImport(Glibc)
import Glibc
#endif

/// Why a pod's volume could not be set up or torn down. `description` is the message
/// of upstream's FailedMount event (`MountVolume.SetUp failed for volume "config" :
/// configmap "settings" not found`), so the kubelet can report it as is and retry.
public struct VolumeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }

        /// A ConfigMap or Secret the volume needs does not exist (and is not optional).
        public static let notFound = Code(name: "notFound")
        /// A key named in `items` is not in the ConfigMap or Secret.
        public static let missingKey = Code(name: "missingKey")
        /// A volume type, emptyDir medium or projection this node does not provide.
        public static let unsupported = Code(name: "unsupported")
        /// A hostPath is missing or not of its declared `type`.
        public static let hostPathType = Code(name: "hostPathType")
        /// A pod UID, volume name or file path that cannot become a path on the host.
        public static let invalidPath = Code(name: "invalidPath")
        /// A downward API field or resource that cannot be read from the pod.
        public static let downwardAPI = Code(name: "downwardAPI")
        /// Reading a ConfigMap or Secret failed for another reason than not existing.
        public static let lookup = Code(name: "lookup")
        /// A file operation, mount or unmount failed; see `errno`.
        public static let systemCall = Code(name: "systemCall")
    }

    public var code: Code
    /// The pod's volume this is about; nil for the pod's directory as a whole.
    public var volume: String?
    /// What went wrong, in upstream's words where upstream has them.
    public var message: String
    /// The errno of the failed system call, if one failed.
    public var errno: Int32?

    public init(_ code: Code, volume: String? = nil, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.volume = volume
        self.message = message
        self.errno = errno
    }

    /// The FailedMount event reason upstream's kubelet records.
    public static let failedMountReason = "FailedMount"

    /// `message`, with the system call's error when there is one.
    public var detail: String {
        guard let errno else { return message }
        return "\(message): \(String(cString: strerror(errno)))"
    }

    public var description: String {
        guard let volume else { return detail }
        return "MountVolume.SetUp failed for volume \"\(volume)\" : \(detail)"
    }

    func forVolume(_ name: String) -> VolumeError {
        var error = self
        error.volume = name
        return error
    }
}

extension VolumeError {
    /// Several failures as one, worded as Go's utilerrors.NewAggregate: the message
    /// alone for one, `[first, second]` for more. nil for none.
    static func aggregate(_ errors: [VolumeError]) -> VolumeError? {
        guard let first = errors.first else { return nil }
        if errors.count == 1 { return first }
        return VolumeError(first.code, "[" + errors.map(\.detail).joined(separator: ", ") + "]")
    }
}
