extension Toleration {
    /// Upstream's ToleratesTaint: the effect (when given) and key (when given)
    /// agree, and the value is equal (`Equal`, the default) or anything (`Exists`).
    /// Shared by the scheduler's filters and the controllers' taint eviction.
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, !effect.isEmpty, effect != taint.effect { return false }
        if let key, !key.isEmpty, key != taint.key { return false }
        switch `operator` ?? "Equal" {
        case "Exists": return true
        case "Equal", "": return (value ?? "") == (taint.value ?? "")
        default: return false
        }
    }
}
