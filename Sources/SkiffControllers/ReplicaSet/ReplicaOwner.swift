import SkiffAPI

/// What the replica controller needs of the object it keeps pods for. Two kinds
/// are: ReplicaSet, and the legacy ReplicationController, which upstream runs
/// through the same controller by converting it to a ReplicaSet and back; here
/// the conversion is this protocol, so one controller serves both.
public protocol ReplicaOwner: APIObject {
    /// The controller's name in logs and in `--controllers`.
    static var controllerName: String { get }
    /// The pods it owns; an invalid selector throws.
    func podSelector() throws -> Labels.Selector
    var podTemplate: PodTemplateSpec { get }
    /// `spec.replicas`, which the API server defaults to 1.
    var desiredReplicas: Int32 { get }
    var minReadySeconds: Int32 { get }
    /// The status as a ReplicaSet's (ReplicationControllerStatus has the same fields
    /// less terminatingReplicas).
    var replicaStatus: ReplicaSetStatus { get set }
}

extension ReplicaOwner {
    /// Whether an owner reference names this kind (group and kind, as the REST
    /// mapper resolves them, so any served version of the group matches).
    static func isNamed(by reference: OwnerReference) -> Bool {
        reference.kind == kind && group(of: reference.apiVersion) == group(of: apiVersion)
    }

    private static func group(of apiVersion: String) -> Substring {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return apiVersion[..<slash]
    }
}

extension ReplicaSet: ReplicaOwner {
    public static var controllerName: String { "replicaset" }
    public func podSelector() throws -> Labels.Selector { try Labels.Selector(spec.selector) }
    public var podTemplate: PodTemplateSpec { spec.template }
    public var desiredReplicas: Int32 { spec.replicas ?? 1 }
    public var minReadySeconds: Int32 { spec.minReadySeconds ?? 0 }
    public var replicaStatus: ReplicaSetStatus {
        get { status }
        set { status = newValue }
    }
}

extension ReplicationController: ReplicaOwner {
    public static var controllerName: String { "replicationcontroller" }
    public func podSelector() throws -> Labels.Selector { Labels.Selector(matching: spec.selector ?? [:]) }
    public var podTemplate: PodTemplateSpec { spec.template ?? PodTemplateSpec() }
    public var desiredReplicas: Int32 { spec.replicas ?? 1 }
    public var minReadySeconds: Int32 { spec.minReadySeconds ?? 0 }
    public var replicaStatus: ReplicaSetStatus {
        get {
            var converted = ReplicaSetStatus()
            converted.replicas = status.replicas
            converted.fullyLabeledReplicas = status.fullyLabeledReplicas
            converted.readyReplicas = status.readyReplicas
            converted.availableReplicas = status.availableReplicas
            converted.observedGeneration = status.observedGeneration
            converted.conditions = status.conditions?.map { condition in
                var replicaSetCondition = ReplicaSetCondition()
                replicaSetCondition.type = condition.type
                replicaSetCondition.status = condition.status
                replicaSetCondition.lastTransitionTime = condition.lastTransitionTime
                replicaSetCondition.reason = condition.reason
                replicaSetCondition.message = condition.message
                return replicaSetCondition
            }
            return converted
        }
        set {
            status.replicas = newValue.replicas
            status.fullyLabeledReplicas = newValue.fullyLabeledReplicas
            status.readyReplicas = newValue.readyReplicas
            status.availableReplicas = newValue.availableReplicas
            status.observedGeneration = newValue.observedGeneration
            status.conditions = newValue.conditions?.map { condition in
                var controllerCondition = ReplicationControllerCondition()
                controllerCondition.type = condition.type
                controllerCondition.status = condition.status
                controllerCondition.lastTransitionTime = condition.lastTransitionTime
                controllerCondition.reason = condition.reason
                controllerCondition.message = condition.message
                return controllerCondition
            }
        }
    }
}
