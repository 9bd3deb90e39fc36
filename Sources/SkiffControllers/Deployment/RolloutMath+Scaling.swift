import SkiffAPI

extension RolloutMath {
    /// New sizes, by name, when the deployment's replicas changed (upstream
    /// `scale`): one active replica set (or none) takes the new count; a
    /// saturated new set leaves old sets at 0; during a rolling update the
    /// change is shared among the active sets in proportion to their size, what
    /// rounding leaves over going to the largest.
    public static func scalingTargets(_ deployment: Deployment, new: ReplicaSet?, old: [ReplicaSet]) -> [String: Int32] {
        let desired = deployment.spec.replicas ?? 1
        if let only = activeOrLatest(new: new, old: old) {
            return only.desiredReplicas == desired ? [:] : [only.metadata.name ?? "": desired]
        }
        if let new, isSaturated(deployment, new) {
            return Dictionary(uniqueKeysWithValues: old.filter { $0.desiredReplicas > 0 }.map { ($0.metadata.name ?? "", 0) })
        }
        guard isRollingUpdate(deployment) else { return [:] }
        var active = (old + (new.map { [$0] } ?? [])).filter { $0.desiredReplicas > 0 }
        let allowed = desired > 0 ? desired + maxSurge(deployment) : 0
        let toAdd = allowed - specReplicas(active)
        guard toAdd != 0 else { return [:] }
        let byAge = byCreation(active)
        let age = Dictionary(uniqueKeysWithValues: byAge.enumerated().map { ($1.metadata.name ?? "", $0) })
        active.sort { a, b in
            if a.desiredReplicas != b.desiredReplicas { return a.desiredReplicas > b.desiredReplicas }
            let (first, second) = (age[a.metadata.name ?? ""] ?? 0, age[b.metadata.name ?? ""] ?? 0)
            return toAdd > 0 ? first > second : first < second
        }
        var sizes: [String: Int32] = [:]
        var added: Int32 = 0
        for set in active {
            let share = proportion(of: set, deployment, toAdd: toAdd, added: added)
            sizes[set.metadata.name ?? ""] = set.desiredReplicas + share
            added += share
        }
        if added != toAdd, let largest = active.first?.metadata.name {
            sizes[largest] = max(0, (sizes[largest] ?? 0) + toAdd - added)
        }
        return sizes.filter { name, size in active.first { $0.metadata.name == name }?.desiredReplicas != size }
    }

    /// GetProportion: this set's share of `toAdd`, bounded by what is left to hand out.
    static func proportion(of set: ReplicaSet, _ deployment: Deployment, toAdd: Int32, added: Int32) -> Int32 {
        guard set.desiredReplicas > 0, toAdd != 0, toAdd != added else { return 0 }
        let fraction = fraction(of: set, deployment)
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// getReplicaSetFraction: how much the set grows or shrinks if scaled in the
    /// ratio of the deployment's new to its old size (the old size read from the
    /// set's max-replicas annotation).
    static func fraction(of set: ReplicaSet, _ deployment: Deployment) -> Int32 {
        let desired = deployment.spec.replicas ?? 1
        if desired == 0 { return -set.desiredReplicas }
        let total = desired + maxSurge(deployment)
        let annotated = set.metadata.annotations?[DeploymentAnnotations.maxReplicas].flatMap { Int32($0) }
            ?? deployment.status.replicas ?? 0
        guard annotated > 0 else { return 0 }
        let size = (Double(set.desiredReplicas) * Double(total) / Double(annotated)).rounded()
        return Int32(size) - set.desiredReplicas
    }

    /// FindActiveOrLatest: the only active set, or when none is active the new
    /// one or else the newest; nil when several are active.
    static func activeOrLatest(new: ReplicaSet?, old: [ReplicaSet]) -> ReplicaSet? {
        let newestFirst = Array(byCreation(old).reversed())
        let active = (newestFirst + (new.map { [$0] } ?? [])).filter { $0.desiredReplicas > 0 }
        switch active.count {
        case 0: return new ?? newestFirst.first
        case 1: return active[0]
        default: return nil
        }
    }

    /// IsSaturated: the new set is meant for all replicas, has them, and all are available.
    static func isSaturated(_ deployment: Deployment, _ set: ReplicaSet) -> Bool {
        let desired = deployment.spec.replicas ?? 1
        let annotated = set.metadata.annotations?[DeploymentAnnotations.desiredReplicas].flatMap { Int32($0) }
        return annotated == desired && set.desiredReplicas == desired && set.status.availableReplicas == desired
    }
}
