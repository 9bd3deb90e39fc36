/// policy/v1 Eviction: what `kubectl drain` posts to `pods/<name>/eviction` to
/// delete a pod as PodDisruptionBudgets allow.
public struct Eviction: APIKind {
    public static let apiVersion = "policy/v1"
    public static let kind = "Eviction"

    public var kind: String?
    public var apiVersion: String?
    public var metadata = ObjectMeta()
    public var deleteOptions: DeleteOptions?

    public init() {}
}
