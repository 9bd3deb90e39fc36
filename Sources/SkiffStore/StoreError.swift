import Foundation

/// The one error type of the store: a code to branch on, a message for people, and
/// the details some codes carry.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong. Extensible: new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The key does not exist (update, delete).
        public static let notFound = Code("notFound")
        /// The key exists already (create).
        public static let alreadyExists = Code("alreadyExists")
        /// The key's mod revision differs from the expected one; ``StoreError/current`` holds it.
        public static let conflict = Code("conflict")
        /// The revision asked for was compacted away; ``StoreError/compactRevision`` says where history starts.
        public static let compacted = Code("compacted")
        /// The revision asked for is newer than the store's current revision.
        public static let futureRevision = Code("futureRevision")
        /// The value is larger than ``Store/maxValueSize``; nothing was written.
        public static let requestTooLarge = Code("requestTooLarge")
        /// A malformed argument, such as an empty key or one containing NUL.
        public static let invalidArgument = Code("invalidArgument")
        /// A watcher fell too far behind and was ended; re-list and watch again.
        public static let watcherTooSlow = Code("watcherTooSlow")
        /// The store was closed.
        public static let closed = Code("closed")
        /// The database is locked by another process, or in use where exclusive access is needed.
        public static let locked = Code("locked")
        /// The file is not a store database, is corrupt, or has an unknown schema.
        public static let corrupt = Code("corrupt")
        /// Any other storage failure (I/O, disk full, permissions).
        public static let storage = Code("storage")
        /// The store's server (etcd) cannot be reached, or the connection to it broke:
        /// a write under way may or may not have been applied. The next call reconnects.
        public static let unavailable = Code("unavailable")
    }

    /// What went wrong, to branch on.
    public var code: Code
    /// What went wrong, for people; names the key or file concerned.
    public var message: String
    /// For ``Code/conflict``: the key's current version.
    public var current: KeyValue?
    /// For ``Code/compacted``: the store's compact revision.
    public var compactRevision: Int64?
    /// The underlying error, when there is one.
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, current: KeyValue? = nil, compactRevision: Int64? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.current = current
        self.compactRevision = compactRevision
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(code): \(message): \(cause)" }
        return "\(code): \(message)"
    }

    static func notFound(_ key: String) -> StoreError {
        StoreError(.notFound, "key \(key) not found")
    }

    static func alreadyExists(_ key: String) -> StoreError {
        StoreError(.alreadyExists, "key \(key) already exists")
    }

    static func conflict(_ current: KeyValue, expected: Int64) -> StoreError {
        StoreError(
            .conflict,
            "key \(current.key) has mod revision \(current.modRevision), expected \(expected)",
            current: current)
    }

    static func compacted(requested: Int64, compactRevision: Int64) -> StoreError {
        StoreError(
            .compacted,
            "revision \(requested) has been compacted; history starts at \(compactRevision)",
            compactRevision: compactRevision)
    }

    static func futureRevision(requested: Int64, current: Int64) -> StoreError {
        StoreError(.futureRevision, "revision \(requested) is newer than the current revision \(current)")
    }

    static let closed = StoreError(.closed, "the store is closed")
}
