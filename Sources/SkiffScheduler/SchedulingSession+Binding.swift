import Foundation
import SkiffAPI
import SkiffClient

/// Binding and what follows a failed cycle.
extension SchedulingSession {
    /// POSTs the binding. On success the pod stays assumed until the watch shows
    /// it bound; on failure it is forgotten (its node's resources freed), retried
    /// after backoff, and the failure recorded as upstream does.
    func bind(_ entry: SchedulingQueue.Entry, to node: String) async {
        let pod = entry.pod
        do {
            try await client.bind(pod: pod.name, namespace: pod.namespace, uid: pod.uid, node: node)
            queue.done(pod.key)
            scheduler.count { $0.bound += 1 }
            recorder.record(
                ObjectReference(to: pod.pod), type: .normal, reason: "Scheduled",
                message: "Successfully assigned \(pod.key) to \(node)")
        } catch {
            state.withLock { $0.cache.forget(pod.key) }
            scheduler.count { $0.bindFailures += 1 }
            logger.warning("binding failed", metadata: ["pod": "\(pod.key)", "node": "\(node)", "error": "\(error)"])
            if error.isNotFound {
                queue.done(pod.key)  // deleted meanwhile
            } else {
                queue.retry(entry)
                recorder.record(
                    ObjectReference(to: pod.pod), type: .warning, reason: "FailedScheduling",
                    message: "Binding rejected: \(error.message)")
            }
            queue.moveAllToActiveOrBackoff()
        }
    }

    /// Sets PodScheduled=False, reason Unschedulable, with the FitError message,
    /// unless the pod already says exactly that.
    func markUnschedulable(_ pod: Pod, message: String) async {
        let current = pod.status.conditions?.first { $0.type == "PodScheduled" }
        if current?.status == "False" && current?.reason == "Unschedulable" && current?.message == message { return }
        let transition = current?.status == "False" ? current?.lastTransitionTime : nil
        let condition = JSONValue.object(
            JSONObject([
                ("type", "PodScheduled"), ("status", "False"), ("lastProbeTime", .null),
                ("lastTransitionTime", .string((transition ?? Time.now()).truncatedToSeconds.description)),
                ("reason", "Unschedulable"), ("message", .string(message)),
            ]))
        let patch = JSONValue.object(JSONObject([("status", .object(JSONObject([("conditions", .array([condition]))])))]))
        do {
            try await client.patch(
                Pod.self, pod.metadata.name ?? "", namespace: pod.metadata.namespace, .strategicMerge,
                body: JSONCodec.serialize(patch), subresource: "status")
        } catch {
            if error.isNotFound { return }  // deleted meanwhile
            logger.warning("could not set PodScheduled=False", metadata: ["pod": "\(PodInfo.key(of: pod))", "error": "\(error)"])
        }
    }
}
