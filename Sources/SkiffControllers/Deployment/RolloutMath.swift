import SkiffAPI

/// The arithmetic of a rollout (upstream's deployment util), as pure functions
/// over a deployment and its replica sets; the controller applies the sizes they
/// return.
public enum RolloutMath {
    /// An int-or-percent against `total` (intstr.GetScaledValueFromIntOrPercent):
    /// "25%" of 10 is 3 rounded up, 2 rounded down. Unreadable percentages count as 0.
    public static func scaledValue(_ value: IntOrString?, total: Int32, roundUp: Bool) -> Int32 {
        switch value {
        case .int(let number): return number
        case .string(let text):
            guard text.hasSuffix("%"), let percent = Int64(text.dropLast()) else { return 0 }
            let product = percent * Int64(total)
            return Int32(roundUp ? (product + 99) / 100 : product / 100)
        case nil: return 0
        }
    }

    /// maxSurge rounded up and maxUnavailable rounded down (ResolveFenceposts); both
    /// 0 would never make progress, so maxUnavailable is then 1.
    public static func fenceposts(_ deployment: Deployment) -> (surge: Int32, unavailable: Int32) {
        let desired = deployment.spec.replicas ?? 1
        let rolling = deployment.spec.strategy.rollingUpdate
        let surge = scaledValue(rolling?.maxSurge, total: desired, roundUp: true)
        let unavailable = scaledValue(rolling?.maxUnavailable, total: desired, roundUp: false)
        if surge == 0 && unavailable == 0 { return (0, 1) }
        return (surge, unavailable)
    }

    static func isRollingUpdate(_ deployment: Deployment) -> Bool {
        deployment.spec.strategy.type != "Recreate"
    }

    public static func maxSurge(_ deployment: Deployment) -> Int32 {
        isRollingUpdate(deployment) ? fenceposts(deployment).surge : 0
    }

    /// At most the deployment's replicas; 0 for Recreate or no replicas.
    public static func maxUnavailable(_ deployment: Deployment) -> Int32 {
        let desired = deployment.spec.replicas ?? 1
        guard isRollingUpdate(deployment), desired > 0 else { return 0 }
        return min(fenceposts(deployment).unavailable, desired)
    }

    static func specReplicas(_ sets: [ReplicaSet]) -> Int32 { sets.reduce(0) { $0 + $1.desiredReplicas } }
    static func actualReplicas(_ sets: [ReplicaSet]) -> Int32 { sets.reduce(0) { $0 + $1.status.replicas } }
    static func availableReplicas(_ sets: [ReplicaSet]) -> Int32 { sets.reduce(0) { $0 + ($1.status.availableReplicas ?? 0) } }
    static func readyReplicas(_ sets: [ReplicaSet]) -> Int32 { sets.reduce(0) { $0 + ($1.status.readyReplicas ?? 0) } }

    /// The size the new replica set may grow to now (NewRSNewReplicas): for a
    /// rolling update, as far as maxSurge over the deployment's replicas allows;
    /// for Recreate, all of them.
    public static func newReplicaSetReplicas(_ deployment: Deployment, all: [ReplicaSet], new: ReplicaSet) -> Int32 {
        let desired = deployment.spec.replicas ?? 1
        guard isRollingUpdate(deployment) else { return desired }
        let current = specReplicas(all)
        let maxTotal = desired + maxSurge(deployment)
        if current >= maxTotal { return new.desiredReplicas }
        let scaleUp = min(maxTotal - current, desired - new.desiredReplicas)
        return new.desiredReplicas + scaleUp
    }

    /// reconcileNewReplicaSet: the new replica set's next size, nil when it is right.
    public static func newReplicaSetTarget(_ deployment: Deployment, all: [ReplicaSet], new: ReplicaSet) -> Int32? {
        let desired = deployment.spec.replicas ?? 1
        if new.desiredReplicas == desired { return nil }
        if new.desiredReplicas > desired { return desired }
        let target = newReplicaSetReplicas(deployment, all: all, new: new)
        return target == new.desiredReplicas ? nil : target
    }

    /// reconcileOldReplicaSets: new sizes of old replica sets, by name. First the
    /// unavailable pods of old sets go (they hold no availability), then available
    /// ones, oldest set first, never taking availability below
    /// `replicas − maxUnavailable` counting the new set's unavailable pods.
    public static func oldReplicaSetTargets(_ deployment: Deployment, old: [ReplicaSet], new: ReplicaSet?) -> [String: Int32] {
        let all = old + (new.map { [$0] } ?? [])
        guard specReplicas(old) > 0 else { return [:] }
        let minAvailable = (deployment.spec.replicas ?? 1) - maxUnavailable(deployment)
        let newUnavailable = new.map { $0.desiredReplicas - ($0.status.availableReplicas ?? 0) } ?? 0
        let maxScaledDown = specReplicas(all) - minAvailable - newUnavailable
        guard maxScaledDown > 0 else { return [:] }

        let ordered = byCreation(old)
        var sizes = Dictionary(uniqueKeysWithValues: ordered.map { ($0.metadata.name ?? "", $0.desiredReplicas) })
        var cleaned: Int32 = 0
        for set in ordered {
            if cleaned >= maxScaledDown { break }
            let name = set.metadata.name ?? ""
            let size = sizes[name] ?? 0
            let available = set.status.availableReplicas ?? 0
            if size == 0 || size == available { continue }
            let count = min(maxScaledDown - cleaned, size - available)
            sizes[name] = size - count
            cleaned += count
        }

        let totalScaleDown = availableReplicas(all) - minAvailable
        var scaledDown: Int32 = 0
        if totalScaleDown > 0 {
            for set in ordered {
                if scaledDown >= totalScaleDown { break }
                let name = set.metadata.name ?? ""
                let size = sizes[name] ?? 0
                if size == 0 { continue }
                let count = min(size, totalScaleDown - scaledDown)
                sizes[name] = size - count
                scaledDown += count
            }
        }
        return sizes.filter { name, size in ordered.first { $0.metadata.name == name }?.desiredReplicas != size }
    }

    /// Oldest first, ties by name (ReplicaSetsByCreationTimestamp).
    static func byCreation(_ sets: [ReplicaSet]) -> [ReplicaSet] {
        sets.sorted { a, b in
            let (first, second) = (a.metadata.creationTimestamp, b.metadata.creationTimestamp)
            if first != second, let first, let second { return first < second }
            return (a.metadata.name ?? "") < (b.metadata.name ?? "")
        }
    }
}
