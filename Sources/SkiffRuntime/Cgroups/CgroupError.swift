#if canImport(Glibc)
import Glibc
#endif

/// Every failure of the cgroup code: what went wrong (`code`), a message for the
/// operator, and where it happened (a cgroupfs path and the errno, when a system call
/// failed).
public struct CgroupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure; compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }

        /// The limits cannot be applied at all (negative, zero CPU limit, memory below the floor…).
        public static let invalidLimits = Code(name: "invalidLimits")
        /// A memory limit below what the cgroup already uses; the kernel would OOM-kill to meet it.
        public static let memoryBelowUsage = Code(name: "memoryBelowUsage")
        /// A pod UID or container ID that is not a single, plain path component.
        public static let invalidName = Code(name: "invalidName")
        /// The cgroup to create exists already.
        public static let alreadyExists = Code(name: "alreadyExists")
        /// The cgroup to open does not exist.
        public static let notFound = Code(name: "notFound")
        /// The cgroup still holds processes, so it cannot be removed.
        public static let processesRemain = Code(name: "processesRemain")
        /// /proc/self/mountinfo or /proc/self/cgroup do not describe a usable cgroup setup.
        public static let hostLayout = Code(name: "hostLayout")
        /// A cgroupfs read, write, mkdir, rmdir or a signal failed; see `errno`.
        public static let systemCall = Code(name: "systemCall")
    }

    public var code: Code
    public var message: String
    /// The cgroupfs file or directory involved, if any.
    public var path: String?
    /// The errno of the failed system call, if one failed.
    public var errno: Int32?

    public init(_ code: Code, _ message: String, path: String? = nil, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.errno = errno
    }

    public var description: String {
        var text = "cgroup \(code): \(message)"
        if let path { text += " (\(path))" }
        if let errno { text += ": \(String(cString: strerror(errno)))" }
        return text
    }
}
