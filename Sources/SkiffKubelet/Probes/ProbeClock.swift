import Foundation

/// The time probe workers go by. Wall time, because initialDelaySeconds counts from
/// the container's start as the runtime recorded it; injectable, so tests can step it.
public protocol ProbeClock: Sendable {
    var now: Date { get }
    /// Returns at `deadline`, or throws when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The system's clock.
public struct SystemProbeClock: ProbeClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) } else { try Task.checkCancellation() }
    }
}
