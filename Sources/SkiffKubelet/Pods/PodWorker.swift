import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffRuntime

/// One pod's worker: syncs the pod whenever it changes, one of its containers
/// changes state, a back-off ends, or the resync interval passes — never two
/// syncs of one pod at once. Ends when the pod is gone from the node.
actor PodWorker {
    let uid: String
    let services: PodServices
    private(set) var pod: Pod
    /// The API no longer lists the pod (deleted with grace 0, or by someone else):
    /// stop everything without waiting for a grace period.
    private var removedFromAPI = false
    private let wakeup = Wakeup()

    // What a sync remembers for the next one.
    var crashBackOff: CrashLoopBackOff
    var pullBackOff: CrashLoopBackOff
    var startFailures: [String: String] = [:]
    /// When each image pull (by container and image) last failed.
    var pullFailures: [String: Date] = [:]
    var lastReportedStatus: PodStatus?
    /// Seconds until a back-off ends, when a sync wants to run again sooner than the resync.
    var nextSyncWithin: TimeInterval?
    var failedSandboxAttempts = 0

    init(pod: Pod, services: PodServices) {
        self.uid = pod.metadata.uid ?? ""
        self.pod = pod
        self.services = services
        crashBackOff = CrashLoopBackOff(
            initial: services.configuration.backOffInitial, maximum: services.configuration.backOffMaximum)
        pullBackOff = CrashLoopBackOff(
            initial: services.configuration.backOffInitial, maximum: services.configuration.backOffMaximum)
    }

    nonisolated func wake() { wakeup.signal() }

    func update(_ pod: Pod) {
        self.pod = pod
        wakeup.signal()
    }

    func markRemovedFromAPI() {
        removedFromAPI = true
        wakeup.signal()
    }

    /// Syncs until the pod is finished on this node; returns then.
    func run() async {
        while !Task.isCancelled {
            let finished: Bool
            if pod.metadata.deletionTimestamp != nil || removedFromAPI {
                finished = await terminate(deletedFromAPI: removedFromAPI)
            } else {
                nextSyncWithin = nil
                await sync()
                finished = false
            }
            if finished { return }
            var timeout = services.configuration.podResyncInterval
            if let soon = nextSyncWithin { timeout = min(timeout, .milliseconds(Int64(max(soon, 0.05) * 1000))) }
            await wakeup.wait(timeout: timeout)
        }
    }

    /// The containers the runtime has for this pod.
    func instances() async -> ContainerInstances {
        ContainerInstances(podUID: uid, records: await services.runtime.list())
    }

    func event(_ type: EventRecorder.EventType, _ reason: String, _ message: String, container: String? = nil) {
        let isInit = pod.spec.initContainers?.contains { $0.name == container } ?? false
        let fieldPath = container.map { isInit ? "spec.initContainers{\($0)}" : "spec.containers{\($0)}" }
        services.event(pod, type, reason, message, fieldPath: fieldPath)
    }

    /// Sends the status when it differs from what was last sent.
    func report(_ status: PodStatus) async {
        guard status != lastReportedStatus else { return }
        do {
            let body = try JSONCodec.encode(StatusPatch(metadata: .init(uid: uid), status: status))
            let written = try await services.client.patch(
                Pod.self, pod.metadata.name ?? "", namespace: pod.metadata.namespace, .merge, body: body,
                subresource: "status")
            lastReportedStatus = status
            if written.metadata.uid == uid { pod.status = written.status }
        } catch {
            services.logger.warning(
                "pod status update failed", metadata: ["pod": "\(podDescription)", "error": "\(error)"])
        }
    }

    private struct StatusPatch: Encodable {
        struct Metadata: Encodable { var uid: String }
        var metadata: Metadata
        var status: PodStatus
    }

    /// `name_namespace(uid)`, as the kubelet names pods in messages.
    var podDescription: String {
        "\(pod.metadata.name ?? "")_\(pod.metadata.namespace ?? "")(\(uid))"
    }
}
