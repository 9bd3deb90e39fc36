import SkiffAPI

/// How the registry treats one kind: upstream's per-kind REST strategy
/// (PrepareForCreate, PrepareForUpdate, the status strategy, graceful deletion, …).
/// Every requirement has a default that fits a plain kind such as ConfigMap; kinds
/// with a spec and a status adopt ``SpecStatusStrategy`` as well.
public protocol RegistryStrategy: APIObject {
    /// An empty object: the registry reads the kind's selectable fields from it.
    init()

    /// Whether `…/status` exists: updates of the object keep the stored status, and
    /// updates of the status keep the stored spec.
    static var hasStatusSubresource: Bool { get }
    /// Whether `metadata.generation` starts at 1 and grows when
    /// ``generationChanged(from:)`` says an update changed the desired state.
    static var tracksGeneration: Bool { get }
    /// Whether an update of a missing object creates it (Endpoints, Events, Leases, RBAC).
    static var allowsCreateOnUpdate: Bool { get }
    /// Whether an update without a resourceVersion overwrites whatever is stored.
    static var allowsUnconditionalUpdate: Bool { get }
    /// Whether a delete answers with the deleted object rather than a `Status`.
    static var returnsDeletedObject: Bool { get }
    /// Whether delete waits a grace period (pods) before the object goes.
    static var deletesGracefully: Bool { get }
    /// DefaultGarbageCollectionPolicy OrphanDependents: a delete that names no
    /// propagation policy orphans the dependents (batch/v1 Jobs, for compatibility).
    static var orphansDependentsByDefault: Bool { get }

    /// PrepareForCreate: clear what users may not set (status), fill what the
    /// registry owns. Runs after defaulting, with uid and name assigned.
    mutating func prepareForCreate()
    /// PrepareForUpdate of the main resource, given the stored object.
    mutating func prepareForUpdate(old: Self)
    /// PrepareForUpdate of `…/status`: keep the stored desired state.
    mutating func prepareForStatusUpdate(old: Self)
    /// Whether an update of the main resource bumps `metadata.generation`.
    func generationChanged(from old: Self) -> Bool
    /// CheckGracefulDelete: the grace period to wait, given the one the request asked
    /// for; 0 deletes at once. Only called when ``deletesGracefully``.
    func gracePeriod(requested: Int64?) -> Int64

    /// Whether `…/scale` exists.
    static var hasScaleSubresource: Bool { get }
    /// The replica counts and selector the Scale subresource shows.
    var scaleState: ScaleState? { get }
    /// Sets the desired replica count through `…/scale`.
    mutating func setDesiredReplicas(_ replicas: Int32)
}

/// What `…/scale` reads from a workload.
public struct ScaleState: Sendable, Hashable {
    public var desired: Int32?
    public var current: Int32
    /// The pod selector as a label-selector string ("app=web").
    public var selector: String

    public init(desired: Int32?, current: Int32, selector: String) {
        self.desired = desired
        self.current = current
        self.selector = selector
    }
}

extension RegistryStrategy {
    public static var hasStatusSubresource: Bool { false }
    public static var tracksGeneration: Bool { false }
    public static var allowsCreateOnUpdate: Bool { false }
    public static var allowsUnconditionalUpdate: Bool { true }
    public static var returnsDeletedObject: Bool { false }
    public static var deletesGracefully: Bool { false }
    public static var orphansDependentsByDefault: Bool { false }
    public static var hasScaleSubresource: Bool { false }

    public mutating func prepareForCreate() {}
    public mutating func prepareForUpdate(old: Self) {}
    public mutating func prepareForStatusUpdate(old: Self) {}
    public func generationChanged(from old: Self) -> Bool { false }
    public func gracePeriod(requested: Int64?) -> Int64 { 0 }
    public var scaleState: ScaleState? { nil }
    public mutating func setDesiredReplicas(_ replicas: Int32) {}
}

/// A kind with a spec (desired state) and a status (observed state) served as
/// `…/status`: updates of the object keep the stored status, updates of the status
/// keep the stored spec, and a spec change bumps the generation when tracked.
public protocol SpecStatusStrategy: RegistryStrategy {
    associatedtype Spec: Hashable & Sendable
    associatedtype ObservedStatus: Hashable & Sendable
    var spec: Spec { get set }
    var status: ObservedStatus { get set }
}

extension SpecStatusStrategy {
    public static var hasStatusSubresource: Bool { true }
    public mutating func prepareForUpdate(old: Self) { status = old.status }
    public mutating func prepareForStatusUpdate(old: Self) { spec = old.spec }
    public func generationChanged(from old: Self) -> Bool { spec != old.spec }
}
