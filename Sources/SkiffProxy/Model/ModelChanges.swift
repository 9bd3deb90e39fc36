/// How the model's destinations changed since the last applied sync, frontend by
/// frontend: what a partial sync must program, and what leaves UDP flows stale.
public struct ModelChanges: Sendable {
    public struct Change: Hashable, Sendable {
        /// The destination the kernel holds (nil: the frontend was not programmed).
        public var before: Destination?
        /// The destination wanted now (nil: the frontend goes).
        public var after: Destination?

        public init(before: Destination?, after: Destination?) {
            self.before = before
            self.after = after
        }
    }

    /// Only frontends whose destination differs; one changed and changed back is not here.
    public private(set) var frontends: [Frontend: Change] = [:]

    public init() {}

    /// The changes that turn `old` into `new`, comparing every frontend.
    public init(from old: ProxyModel, to new: ProxyModel) {
        for (frontend, before) in old.frontends { note(frontend, before: before, after: new[frontend]) }
        for (frontend, after) in new.frontends where old[frontend] == nil { note(frontend, before: nil, after: after) }
    }

    /// Records that `frontend` went from `before` to `after`; a later change of the
    /// same frontend keeps the first `before`, so changes accumulate over syncs.
    public mutating func note(_ frontend: Frontend, before: Destination?, after: Destination?) {
        let original = frontends[frontend].map(\.before) ?? before
        frontends[frontend] = original == after ? nil : Change(before: original, after: after)
    }

    /// Adds `later`'s changes, as if both had been noted here in order.
    public mutating func append(_ later: ModelChanges) {
        for (frontend, change) in later.frontends { note(frontend, before: change.before, after: change.after) }
    }

    public var isEmpty: Bool { frontends.isEmpty }
}
