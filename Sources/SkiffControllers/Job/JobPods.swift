import SkiffAPI

/// What the job controller reads off and writes on its pods (upstream's
/// job utilities and indexed_job_utils).
enum JobPods {
    /// Held on every pod the controller creates until the pod is counted in the
    /// job's status, so a pod deleted early is still counted.
    static let trackingFinalizer = "batch.kubernetes.io/job-tracking"
    static let completionIndexKey = "batch.kubernetes.io/job-completion-index"
    static let completionIndexEnv = "JOB_COMPLETION_INDEX"

    static func hasTrackingFinalizer(_ pod: Pod) -> Bool {
        (pod.metadata.finalizers ?? []).contains(trackingFinalizer)
    }

    /// The completion index annotation, or nil when absent or not a number.
    static func completionIndex(_ pod: Pod) -> Int? {
        guard let text = pod.metadata.annotations?[completionIndexKey], let index = Int(text), index >= 0 else { return nil }
        return index
    }

    /// upstream isPodFailed: Failed; or, unless only failed pods are replaced, being
    /// deleted before it succeeded (a pod deleted early never reaches Failed).
    static func isFailed(_ pod: Pod, of job: Job) -> Bool {
        if pod.status.phase == "Failed" { return true }
        if onlyReplacesFailedPods(job) { return false }
        return pod.metadata.deletionTimestamp != nil && pod.status.phase != "Succeeded"
    }

    /// podReplacementPolicy Failed, which a podFailurePolicy implies.
    static func onlyReplacesFailedPods(_ job: Job) -> Bool {
        job.spec.podReplacementPolicy == "Failed" || job.spec.podFailurePolicy != nil
    }

    /// Not finished and being deleted.
    static func isTerminating(_ pod: Pod) -> Bool {
        pod.metadata.deletionTimestamp != nil && pod.status.phase != "Succeeded" && pod.status.phase != "Failed"
    }

    /// upstream pastBackoffLimitOnFailure: with restartPolicy OnFailure the kubelet
    /// restarts failed containers in place, so their restarts are the failures.
    static func pastBackoffLimitOnFailure(_ job: Job, _ pods: [Pod]) -> Bool {
        guard job.spec.template.spec.restartPolicy == "OnFailure" else { return false }
        var restarts: Int32 = 0
        for pod in pods where pod.status.phase == "Running" || pod.status.phase == "Pending" {
            for status in (pod.status.initContainerStatuses ?? []) + (pod.status.containerStatuses ?? []) {
                restarts += status.restartCount
            }
        }
        let limit = job.spec.backoffLimit ?? 6
        return limit == 0 ? restarts > 0 : restarts >= limit
    }

    /// A new pod for `job`, with the tracking finalizer and, for an Indexed job, its
    /// completion index (annotation, label, hostname, name prefix and the
    /// JOB_COMPLETION_INDEX variable read from the annotation by the downward API).
    static func make(for job: Job, index: Int?) -> Pod {
        var template = job.spec.template
        var finalizers = template.metadata.finalizers ?? []
        if !finalizers.contains(trackingFinalizer) { finalizers.append(trackingFinalizer) }
        template.metadata.finalizers = finalizers
        var pod = Pod.fromTemplate(template, owner: job)
        guard let index else { return pod }
        let name = job.metadata.name ?? ""
        pod.metadata.generateName = "\(name)-\(index)-"
        pod.metadata.annotations = (pod.metadata.annotations ?? [:]).merging([completionIndexKey: "\(index)"]) { $1 }
        pod.metadata.labels = (pod.metadata.labels ?? [:]).merging([completionIndexKey: "\(index)"]) { $1 }
        if (pod.spec.hostname ?? "").isEmpty { pod.spec.hostname = "\(name)-\(index)" }
        pod.spec.containers = pod.spec.containers.map(withIndexVariable)
        pod.spec.initContainers = pod.spec.initContainers?.map(withIndexVariable)
        return pod
    }

    private static func withIndexVariable(_ container: Container) -> Container {
        var container = container
        var env = container.env ?? []
        guard !env.contains(where: { $0.name == completionIndexEnv }) else { return container }
        var variable = EnvVar()
        variable.name = completionIndexEnv
        var source = EnvVarSource()
        var field = ObjectFieldSelector()
        field.fieldPath = "metadata.annotations['\(completionIndexKey)']"
        source.fieldRef = field
        variable.valueFrom = source
        env.append(variable)
        container.env = env
        return container
    }

    /// The strategic merge patch that drops the tracking finalizer and no other,
    /// guarded by the pod's uid.
    static func removeTrackingFinalizerPatch(_ pod: Pod) -> [UInt8] {
        struct Body: Encodable {
            struct Metadata: Encodable {
                var finalizers: [String]
                var uid: String
                enum CodingKeys: String, CodingKey {
                    case finalizers = "$deleteFromPrimitiveList/finalizers"
                    case uid
                }
            }
            var metadata: Metadata
        }
        let body = Body(metadata: .init(finalizers: [trackingFinalizer], uid: pod.metadata.uid ?? ""))
        return (try? JSONCodec.encode(body)) ?? []
    }
}
