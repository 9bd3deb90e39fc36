import Foundation

/// A container as the runtime knows it, persisted in `container.json` so an agent that
/// restarts finds its containers again.
public struct ContainerRecord: Codable, Sendable, Hashable {
    public enum State: String, Codable, Sendable {
        case created, running, exited
    }

    public let id: String
    public let config: ContainerConfig
    public let createdAt: Date
    public internal(set) var state: State
    /// The container's init process (host pid namespace view) while running.
    public internal(set) var pid: Int32?
    /// Its start time in clock ticks since boot (/proc/PID/stat field 22), so a reused
    /// pid is never mistaken for the container.
    public internal(set) var pidStartTicks: UInt64?
    /// The shim monitoring it, with its start time: while the monitor lives, the
    /// container may have exited without its exit file being written yet.
    public internal(set) var shimPID: Int32?
    public internal(set) var shimStartTicks: UInt64?
    public internal(set) var startedAt: Date?
    public internal(set) var exit: ContainerExit?
    public internal(set) var cgroup: CgroupAttachment?
    public let paths: ContainerPaths

    /// Where the container's CRI log is written.
    public var logPath: String { config.logPath ?? paths.defaultLog }
}

/// How a container's process ended, as the shim recorded it.
public struct ContainerExit: Codable, Sendable, Hashable {
    /// The exit code, or 128 + signal when a signal ended it (as a shell reports it).
    public var exitCode: Int32
    public var signal: Int32
    /// The kernel's OOM killer killed a process of the container's cgroup.
    public var oomKilled: Bool
    public var startedAt: Date?
    public var finishedAt: Date?

    /// Kubernetes' reason for a terminated container.
    public var reason: String {
        if oomKilled { return "OOMKilled" }
        return exitCode == 0 ? "Completed" : "Error"
    }
}

extension ContainerPaths: Codable {
    public init(from decoder: any Decoder) throws {
        directory = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(directory)
    }
}
