import SkiffAPI
import SkiffClient

extension JobController {
    /// upstream syncOrphanPod: drop the tracking finalizer of a pod whose job no
    /// longer counts it, so that it can go when deleted.
    func syncOrphanPod(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        guard let pod = pods.get(name, namespace: namespace), JobPods.hasTrackingFinalizer(pod) else { return }
        if let reference = pod.metadata.controllerReference, reference.kind == Job.kind,
            let job = jobs.get(reference.name, namespace: namespace), job.metadata.uid == reference.uid, !job.isFinished
        {
            return
        }
        do {
            try await client.patch(Pod.self, name, namespace: namespace, .strategicMerge, body: JobPods.removeTrackingFinalizerPatch(pod))
        } catch {
            if !error.isNotFound { throw error }
        }
    }
}
