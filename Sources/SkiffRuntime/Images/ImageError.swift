#if canImport(Glibc)
import Glibc
#endif

/// Everything that can go wrong with an image, as one error type: a code callers
/// can switch on, a message for people, and the lower-level cause when there is one.
public struct ImageError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The reference does not parse (`Bad Reference!`, `busybox:`, `a@sha256:xyz`).
        public static let invalidReference = Code("invalidReference")
        /// No connection to the registry (refused, unresolvable, TLS failed, closed early).
        public static let registryUnreachable = Code("registryUnreachable")
        /// The registry refused the credentials, or wanted some and got none.
        public static let unauthorized = Code("unauthorized")
        /// The registry or the store has no such image, tag, manifest or blob.
        public static let notFound = Code("notFound")
        /// The registry answered something other than what the protocol promises.
        public static let registryError = Code("registryError")
        /// Content does not hash to the digest that names it.
        public static let digestMismatch = Code("digestMismatch")
        /// Content is longer or shorter than its descriptor says.
        public static let sizeMismatch = Code("sizeMismatch")
        /// A manifest, index, config or layout that is malformed or unsupported.
        public static let invalidManifest = Code("invalidManifest")
        /// The index lists no manifest for linux/amd64.
        public static let noMatchingPlatform = Code("noMatchingPlatform")
        /// A layer that is truncated, corrupt, or would write outside its snapshot.
        public static let invalidLayer = Code("invalidLayer")
        /// Another operation holds the store (a pull while pruning).
        public static let busy = Code("busy")
        /// The store's files could not be read or written.
        public static let storage = Code("storage")
    }

    public var code: Code
    public var message: String
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return message }
        return "\(message): \(cause)"
    }
}

/// A failed system call, with the errno and what was being done.
struct SystemCallError: Error, CustomStringConvertible, Sendable {
    var operation: String
    var errno: Int32

    var description: String { "\(operation): \(String(cString: strerror(errno)))" }
}
