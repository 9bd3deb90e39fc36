import SkiffAPI

// The core kinds other than Pod, Namespace and Service (pkg/registry/core/*/strategy.go).

extension Node: SpecStatusStrategy {
    // A kubelet registers its node with a status, so create keeps it.
    public func generationChanged(from old: Node) -> Bool { false }
}

extension PersistentVolumeClaim: SpecStatusStrategy {
    public mutating func prepareForCreate() { status = PersistentVolumeClaimStatus() }
    public func generationChanged(from old: PersistentVolumeClaim) -> Bool { false }
}

extension ReplicationController: SpecStatusStrategy {
    public static var tracksGeneration: Bool { true }
    public static var hasScaleSubresource: Bool { true }
    public mutating func prepareForCreate() { status = ReplicationControllerStatus() }

    public var scaleState: ScaleState? {
        ScaleState(
            desired: spec.replicas, current: status.replicas,
            selector: Labels.Selector(matching: spec.selector ?? [:]).description)
    }

    public mutating func setDesiredReplicas(_ replicas: Int32) { spec.replicas = replicas }
}

extension Endpoints: RegistryStrategy {
    public static var allowsCreateOnUpdate: Bool { true }
}

extension Event: RegistryStrategy {
    public static var allowsCreateOnUpdate: Bool { true }
}

extension ServiceAccount: RegistryStrategy {
    public static var returnsDeletedObject: Bool { true }
}

extension ConfigMap: RegistryStrategy {}
extension Secret: RegistryStrategy {}
