import SkiffAPI

/// The replica counts a replica set's status reports about its pods
/// (calculateStatus in upstream's replica set controller).
public struct ReplicaCounts: Equatable, Sendable {
    public var replicas: Int32 = 0
    /// Pods whose labels carry all of the template's labels.
    public var fullyLabeled: Int32 = 0
    public var ready: Int32 = 0
    /// Ready for at least minReadySeconds.
    public var available: Int32 = 0

    public init(pods: [Pod], templateLabels: [String: String], minReadySeconds: Int32, now: Time) {
        for pod in pods {
            replicas += 1
            let labels = pod.metadata.labels ?? [:]
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { fullyLabeled += 1 }
            if pod.isReady {
                ready += 1
                if pod.isAvailable(minReadySeconds: minReadySeconds, now: now) { available += 1 }
            }
        }
    }
}
