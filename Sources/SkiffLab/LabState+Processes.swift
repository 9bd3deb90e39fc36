import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension LabState {
    /// Starts a component detached, records it (replacing an earlier record of
    /// the same component) and saves the state at once.
    @discardableResult
    public mutating func launch(_ component: String, command: [String], log: String) throws -> Process {
        let pid = try DetachedProcess.spawn(command[0], Array(command.dropFirst()), log: log)
        // The start time tells this process from a later one given the same pid.
        var startTime = DetachedProcess.startTime(of: pid)
        for _ in 0..<100 where startTime == nil {
            usleep(10_000)
            startTime = DetachedProcess.startTime(of: pid)
        }
        let process = Process(component: component, pid: pid, startTime: startTime ?? 0, command: command, log: log)
        if let index = processes.firstIndex(where: { $0.component == component }) {
            processes[index] = process
        } else {
            processes.append(process)
        }
        try save()
        return process
    }

    public func process(_ component: String) throws -> Process {
        guard let process = processes.first(where: { $0.component == component }) else {
            throw LabError("lab \(plan.name) has no component \(component); it has \(processes.map(\.component).joined(separator: ", "))")
        }
        return process
    }

    /// Stops a component: SIGTERM with a grace period, or SIGKILL at once (a crash).
    public func stop(_ component: String, kill: Bool) throws {
        let process = try process(component)
        DetachedProcess.stop(process, grace: kill ? .zero : .seconds(15))
    }

    /// Starts a stopped component again with the command it was first started with.
    @discardableResult
    public mutating func start(_ component: String) throws -> Process {
        let process = try process(component)
        guard !DetachedProcess.isRunning(process) else { throw LabError("\(component) is running (pid \(process.pid))") }
        return try launch(component, command: process.command, log: process.log)
    }
}
