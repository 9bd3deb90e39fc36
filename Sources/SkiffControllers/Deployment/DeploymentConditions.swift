import SkiffAPI

/// The deployment conditions, reasons and messages upstream writes (and
/// `kubectl rollout status` reads).
public enum DeploymentConditions {
    public static let available = "Available"
    public static let progressing = "Progressing"
    public static let replicaFailure = "ReplicaFailure"

    public static let minimumReplicasAvailable = "MinimumReplicasAvailable"
    public static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"
    public static let newReplicaSetCreated = "NewReplicaSetCreated"
    public static let foundNewReplicaSet = "FoundNewReplicaSet"
    public static let replicaSetUpdated = "ReplicaSetUpdated"
    public static let newReplicaSetAvailable = "NewReplicaSetAvailable"
    public static let failedReplicaSetCreate = "ReplicaSetCreateError"
    public static let progressDeadlineExceeded = "ProgressDeadlineExceeded"
    public static let paused = "DeploymentPaused"
    public static let resumed = "DeploymentResumed"

    public static func make(_ type: String, _ status: String, _ reason: String, _ message: String, now: Time) -> DeploymentCondition {
        var condition = DeploymentCondition()
        condition.type = type
        condition.status = status
        condition.reason = reason
        condition.message = message
        condition.lastUpdateTime = now
        condition.lastTransitionTime = now
        return condition
    }

    public static func get(_ status: DeploymentStatus, _ type: String) -> DeploymentCondition? {
        status.conditions?.first { $0.type == type }
    }

    /// SetDeploymentCondition: the same status and reason changes nothing; the same
    /// status keeps the transition time; conditions keep their order otherwise.
    public static func set(_ status: inout DeploymentStatus, _ condition: DeploymentCondition) {
        var condition = condition
        let current = get(status, condition.type)
        if let current, current.status == condition.status, current.reason == condition.reason { return }
        if let current, current.status == condition.status { condition.lastTransitionTime = current.lastTransitionTime }
        var conditions = (status.conditions ?? []).filter { $0.type != condition.type }
        conditions.append(condition)
        status.conditions = conditions
    }

    public static func remove(_ status: inout DeploymentStatus, _ type: String) {
        let conditions = (status.conditions ?? []).filter { $0.type != type }
        status.conditions = conditions.isEmpty ? nil : conditions
    }
}
