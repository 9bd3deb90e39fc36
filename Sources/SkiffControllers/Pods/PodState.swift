import SkiffAPI

/// The readings of a pod's status controllers share (upstream's podutil).
extension Pod {
    /// Not finished and not being deleted: counts toward a replica set's replicas
    /// (controller.FilterActivePods).
    public var isActive: Bool {
        status.phase != "Succeeded" && status.phase != "Failed" && metadata.deletionTimestamp == nil
    }

    /// The Ready condition, when the kubelet has written one.
    public var readyCondition: PodCondition? {
        status.conditions?.first { $0.type == "Ready" }
    }

    /// Ready condition True.
    public var isReady: Bool { readyCondition?.status == "True" }

    /// Ready for at least `minReadySeconds` by `now` (podutil.IsPodAvailable): with
    /// 0, as soon as ready.
    public func isAvailable(minReadySeconds: Int32, now: Time) -> Bool {
        guard let condition = readyCondition, condition.status == "True" else { return false }
        if minReadySeconds == 0 { return true }
        guard let since = condition.lastTransitionTime else { return false }
        return since.nanosecondsSinceEpoch + Int64(minReadySeconds) * 1_000_000_000 <= now.nanosecondsSinceEpoch
    }

    /// Whether `spec.nodeName` is set.
    var isAssigned: Bool { !(spec.nodeName ?? "").isEmpty }
}
