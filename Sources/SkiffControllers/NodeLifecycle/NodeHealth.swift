import SkiffAPI

/// When the controller last saw each node's kubelet alive, on its own clock, as
/// upstream's nodeHealthMap: the probe time moves when the Ready condition's
/// lastHeartbeatTime or the Lease's renewTime changes from what was seen
/// before. Comparing observations with each other, never the kubelet's clock
/// with ours, keeps clock skew between machines out of it.
struct NodeHealth {
    struct Record {
        var heartbeat: Time?
        var renewTime: MicroTime?
        var probed: ContinuousClock.Instant
        /// The Ready status seen last ("True", "False", "Unknown", nil when absent).
        var ready: String?
    }

    private(set) var records: [String: Record] = [:]

    /// Takes in what the node and its Lease show now; returns whether the
    /// kubelet has been silent for longer than `grace`, and the Ready status
    /// seen before this observation.
    mutating func observe(
        _ node: Node, lease: Lease?, now: ContinuousClock.Instant, grace: Duration
    ) -> (silent: Bool, previousReady: String?) {
        let name = node.metadata.name ?? ""
        let ready = node.condition("Ready")
        let renewTime = lease?.spec.renewTime
        guard var record = records[name] else {
            // A node seen for the first time (or after a restart of the controller) gets a full grace period.
            records[name] = Record(heartbeat: ready?.lastHeartbeatTime, renewTime: renewTime, probed: now, ready: ready?.status)
            return (false, nil)
        }
        if ready?.lastHeartbeatTime != record.heartbeat {
            record.heartbeat = ready?.lastHeartbeatTime
            record.probed = now
        }
        if let renewTime, record.renewTime.map({ $0 < renewTime }) ?? true {
            record.renewTime = renewTime
            record.probed = now
        }
        let previousReady = record.ready
        record.ready = ready?.status
        records[name] = record
        return (now - record.probed > grace, previousReady)
    }

    /// Records the Ready status the controller itself wrote.
    mutating func setReady(_ name: String, _ status: String?) {
        records[name]?.ready = status
    }

    mutating func forget(_ name: String) {
        records.removeValue(forKey: name)
    }
}

extension Node {
    func condition(_ type: String) -> NodeCondition? {
        status.conditions?.first { $0.type == type }
    }
}

extension NodeStatus {
    /// The conditions the kubelet owns, which the node lifecycle controller turns
    /// Unknown when the kubelet goes silent.
    static let kubeletConditionTypes = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]

    /// Upstream's tryUpdateNodeHealth on a silent node: every kubelet condition
    /// not already Unknown becomes Unknown (NodeStatusUnknown); one the kubelet
    /// never posted is added as Unknown (NodeStatusNeverUpdated). False when
    /// nothing changed.
    mutating func markUnknown(now: Time) -> Bool {
        var conditions = self.conditions ?? []
        var changed = false
        for type in Self.kubeletConditionTypes {
            if let index = conditions.firstIndex(where: { $0.type == type }) {
                guard conditions[index].status != "Unknown" else { continue }
                conditions[index].status = "Unknown"
                conditions[index].reason = "NodeStatusUnknown"
                conditions[index].message = "Kubelet stopped posting node status."
                conditions[index].lastTransitionTime = now
            } else {
                var condition = NodeCondition()
                condition.type = type
                condition.status = "Unknown"
                condition.reason = "NodeStatusNeverUpdated"
                condition.message = "Kubelet never posted node status."
                condition.lastTransitionTime = now
                conditions.append(condition)
            }
            changed = true
        }
        self.conditions = conditions
        return changed
    }
}
