import Foundation

/// Takes a lab down, whatever state it is in: ends the processes it recorded,
/// kills the pods' containers through the lab's cgroups, detaches every mount
/// under its directory, deletes its network namespaces, removes its cgroups and,
/// last, its directory — and only once nothing is mounted under it, so no
/// volume's host directory is ever deleted through a mount.
public struct LabTeardown {
    public let state: LabState
    private let report: (String) -> Void

    public init(state: LabState, report: @escaping (String) -> Void = { print($0) }) {
        self.state = state
        self.report = report
    }

    public func run() throws {
        let plan = state.plan
        // Agents before the server, so none spends its grace period failing to reach it.
        for process in state.processes.reversed() where DetachedProcess.isRunning(process) {
            DetachedProcess.stop(process)
            report("stopped \(process.component) (pid \(process.pid))")
        }
        let cgroups = LabCgroups(parents: Set(plan.nodes.map(\.cgroupParent)))
        let stuckCgroups = cgroups.killAndRemove()
        let stuckMounts = MountTable.unmountAll(under: plan.directory)
        LabNetwork(plan: plan).delete()
        // A container's shim may still hold a cgroup until its container is gone.
        let stillStuck = stuckCgroups.isEmpty ? [] : LabCgroups(parents: cgroups.parents).killAndRemove()
        guard MountTable.mountPoints(under: plan.directory).isEmpty else {
            throw LabError("still mounted under \(plan.directory), left in place: \(stuckMounts)")
        }
        try? FileManager.default.removeItem(atPath: plan.directory)
        if !stillStuck.isEmpty { report("cgroups that could not be removed: \(stillStuck)") }
        report("lab \(plan.name) is down")
    }
}
