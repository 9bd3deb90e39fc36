import SkiffAPI

/// The taints the node lifecycle controller owns, derived from a node's
/// conditions as upstream's two tainting passes do: NoExecute for a node that
/// is not Ready (what taint-based eviction acts on), and NoSchedule for every
/// condition that should keep new pods away (taint-nodes-by-condition).
enum NodeConditionTaints {
    static let notReady = "node.kubernetes.io/not-ready"
    static let unreachable = "node.kubernetes.io/unreachable"
    static let memoryPressure = "node.kubernetes.io/memory-pressure"
    static let diskPressure = "node.kubernetes.io/disk-pressure"
    static let pidPressure = "node.kubernetes.io/pid-pressure"
    static let networkUnavailable = "node.kubernetes.io/network-unavailable"
    static let unschedulable = "node.kubernetes.io/unschedulable"

    /// Condition type and status → the NoSchedule taint key it calls for.
    private static let noScheduleByCondition: [String: [String: String]] = [
        "Ready": ["False": notReady, "Unknown": unreachable],
        "MemoryPressure": ["True": memoryPressure],
        "DiskPressure": ["True": diskPressure],
        "PIDPressure": ["True": pidPressure],
        "NetworkUnavailable": ["True": networkUnavailable],
    ]
    private static let noScheduleKeys: Set<String> = [
        notReady, unreachable, memoryPressure, diskPressure, pidPressure, networkUnavailable, unschedulable,
    ]

    /// The node's taints with the controller's own brought in line with its
    /// conditions; other taints are kept as they are, as is the timeAdded of a
    /// taint that stays.
    static func reconciled(_ node: Node, now: Time) -> [Taint] {
        let current = node.spec.taints ?? []
        var wanted: [Taint] = []
        switch node.condition("Ready")?.status {
        case "False": wanted.append(Taint(key: notReady, effect: "NoExecute"))
        case "Unknown": wanted.append(Taint(key: unreachable, effect: "NoExecute"))
        default: break
        }
        for condition in node.status.conditions ?? [] {
            if let key = noScheduleByCondition[condition.type]?[condition.status] {
                wanted.append(Taint(key: key, effect: "NoSchedule"))
            }
        }
        if node.spec.unschedulable == true { wanted.append(Taint(key: unschedulable, effect: "NoSchedule")) }

        var result = current.filter { taint in !isOwned(taint) || wanted.contains { same(taint, $0) } }
        for var taint in wanted where !current.contains(where: { same($0, taint) }) {
            taint.timeAdded = now
            result.append(taint)
        }
        return result
    }

    private static func isOwned(_ taint: Taint) -> Bool {
        switch taint.effect {
        case "NoExecute": taint.key == notReady || taint.key == unreachable
        case "NoSchedule": noScheduleKeys.contains(taint.key)
        default: false
        }
    }

    private static func same(_ a: Taint, _ b: Taint) -> Bool { a.key == b.key && a.effect == b.effect }
}
