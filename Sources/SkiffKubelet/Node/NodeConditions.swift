import SkiffAPI

/// The node's conditions and the pressure thresholds behind them: upstream's
/// hard eviction defaults (memory.available < 100Mi, nodefs.available < 10%), and
/// PID pressure past 90% of pid_max, which upstream leaves to configuration.
struct NodeConditions: Sendable {
    static let memoryAvailableMinimum: Int64 = 100 << 20
    static let diskAvailableMinimumFraction = 0.10
    static let pidsUsedMaximumFraction = 0.90

    var memory: MemoryFigures?
    var disk: FilesystemFigures?
    var pids: (used: Int, maximum: Int)?
    /// Why the node is not ready (the runtime or network is not), nil when it is.
    var notReadyReason: String?

    var memoryPressure: Bool { memory.map { $0.available < Self.memoryAvailableMinimum } ?? false }
    var diskPressure: Bool {
        guard let disk, disk.total > 0 else { return false }
        return Double(disk.available) < Double(disk.total) * Self.diskAvailableMinimumFraction
    }
    var pidPressure: Bool {
        guard let pids, pids.maximum > 0 else { return false }
        return Double(pids.used) > Double(pids.maximum) * Self.pidsUsedMaximumFraction
    }

    /// The four conditions with upstream's reasons and messages, keeping each
    /// one's lastTransitionTime from `previous` when its status did not change.
    func conditions(previous: [NodeCondition], now: Time) -> [NodeCondition] {
        func condition(_ type: String, _ on: Bool, _ reasons: (on: String, off: String), _ messages: (on: String, off: String))
            -> NodeCondition
        {
            var condition = NodeCondition()
            condition.type = type
            condition.status = on ? "True" : "False"
            condition.reason = on ? reasons.on : reasons.off
            condition.message = on ? messages.on : messages.off
            condition.lastHeartbeatTime = now
            let before = previous.first { $0.type == type }
            condition.lastTransitionTime = before?.status == condition.status ? (before?.lastTransitionTime ?? now) : now
            return condition
        }
        return [
            condition(
                "MemoryPressure", memoryPressure, ("KubeletHasInsufficientMemory", "KubeletHasSufficientMemory"),
                ("kubelet has insufficient memory available", "kubelet has sufficient memory available")),
            condition(
                "DiskPressure", diskPressure, ("KubeletHasDiskPressure", "KubeletHasNoDiskPressure"),
                ("kubelet has disk pressure", "kubelet has no disk pressure")),
            condition(
                "PIDPressure", pidPressure, ("KubeletHasInsufficientPID", "KubeletHasSufficientPID"),
                ("kubelet has insufficient PID available", "kubelet has sufficient PID available")),
            condition(
                "Ready", notReadyReason == nil, ("KubeletReady", "KubeletNotReady"),
                ("kubelet is posting ready status", notReadyReason ?? "")),
        ]
    }

    /// Reads the machine's current figures.
    static func measure(storagePath: String, notReadyReason: String?) -> NodeConditions {
        NodeConditions(
            memory: MemoryFigures.read(), disk: FilesystemFigures.read(storagePath), pids: processCount(),
            notReadyReason: notReadyReason)
    }

    private static func processCount() -> (used: Int, maximum: Int)? {
        guard let maximum = Int(MachineInfo.firstLine("/proc/sys/kernel/pid_max")),
            let loadavg = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)
        else { return nil }
        // The fourth field of loadavg is running/total scheduling entities (threads).
        let fields = loadavg.split(separator: " ")
        guard fields.count > 3, let total = fields[3].split(separator: "/").last.flatMap({ Int($0) }) else { return nil }
        return (total, maximum)
    }
}
