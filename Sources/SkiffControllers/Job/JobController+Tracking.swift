import SkiffAPI
import SkiffClient

extension JobController {
    /// upstream trackJobStatusAndRemoveFinalizers: put finished pods' uids in
    /// `status.uncountedTerminatedPods` and write that, remove their tracking
    /// finalizers, move the uids whose finalizer is gone into the counters, and
    /// add the terminal condition once nothing is left uncounted or terminating.
    /// A pod is therefore counted exactly once even if it is deleted meanwhile.
    func trackStatus(_ context: inout JobSyncContext, statusChanged: Bool, key: String, now: Time) async throws {
        var needsFlush = statusChanged
        var stillHeld = Set(context.pods.compactMap { pod -> String? in
            guard JobPods.hasTrackingFinalizer(pod), let uid = pod.metadata.uid, !context.counted.contains(uid) else { return nil }
            return uid
        })
        if Self.countReleased(&context.job.status, stillHeld: stillHeld) { needsFlush = true }

        var uncounted = context.job.status.uncountedTerminatedPods ?? UncountedTerminatedPods()
        var uncountedSucceeded = Set(uncounted.succeeded ?? [])
        var uncountedFailed = Set(uncounted.failed ?? [])
        var release: [Pod] = []
        var newIndexes = context.previousIndexes
        let finishing = context.finished.map { $0.type != JobConditions.successCriteriaMet } ?? false
        for pod in context.pods {
            guard let uid = pod.metadata.uid, JobPods.hasTrackingFinalizer(pod), !context.counted.contains(uid) else { continue }
            let failed = JobPods.isFailed(pod, of: context.job)
            let removable =
                context.job.metadata.deletionTimestamp != nil || context.finished != nil || pod.status.phase == "Succeeded" || failed
            guard removable else { continue }
            release.append(pod)
            let index = JobPods.completionIndex(pod)
            let indexValid = index.map { $0 < context.completions } ?? false
            if pod.status.phase == "Succeeded" && !uncountedFailed.contains(uid) {
                if context.indexed {
                    // The index alone keeps a success from being counted twice.
                    if let index, indexValid, !newIndexes.contains(index) {
                        newIndexes.insert(index)
                        needsFlush = true
                    }
                } else if !uncountedSucceeded.contains(uid) {
                    uncountedSucceeded.insert(uid)
                    uncounted.succeeded = (uncounted.succeeded ?? []) + [uid]
                    needsFlush = true
                }
            } else if failed || finishing {
                // A finishing job counts every pod it stops as failed.
                if !uncountedFailed.contains(uid) && (!context.indexed || indexValid) {
                    uncountedFailed.insert(uid)
                    uncounted.failed = (uncounted.failed ?? []) + [uid]
                    needsFlush = true
                }
            }
            if release.count >= Self.burst { break }
        }
        context.job.status.uncountedTerminatedPods = uncounted.normalized
        if context.indexed {
            let text = newIndexes.text
            if text != (context.job.status.completedIndexes ?? "") { needsFlush = true }
            context.job.status.completedIndexes = text
            context.job.status.succeeded = Int32(newIndexes.count)
        }
        if let interim = context.finished, interim.type == JobConditions.failureTarget || interim.type == JobConditions.successCriteriaMet {
            // The interim condition is written before the finalizers go, so the
            // outcome is on record while the last pods are counted.
            if context.job.condition(interim.type) == nil {
                context.job.status.conditions = (context.job.status.conditions ?? []) + [interim]
                needsFlush = true
            }
            context.finished = JobConditions.terminal(after: interim, now: now)
        }

        if needsFlush {
            context.job = try await client.updateStatus(context.job)
            needsFlush = false
        }
        var releaseError: ClientError?
        for pod in release {
            let uid = pod.metadata.uid ?? ""
            removedFinalizers.withLock { _ = $0.insert(uid) }
            do {
                try await client.patch(
                    Pod.self, pod.metadata.name ?? "", namespace: pod.metadata.namespace, .strategicMerge,
                    body: JobPods.removeTrackingFinalizerPatch(pod))
                stillHeld.remove(uid)
            } catch {
                if error.isNotFound {
                    stillHeld.remove(uid)
                } else {
                    removedFinalizers.withLock { _ = $0.remove(uid) }
                    releaseError = releaseError ?? error
                }
            }
        }
        if Self.countReleased(&context.job.status, stillHeld: stillHeld) { needsFlush = true }
        if finish(&context, now: now) { needsFlush = true }
        if needsFlush { context.job = try await client.updateStatus(context.job) }
        if let releaseError { throw releaseError }
    }

    /// upstream cleanUncountedPodsWithoutFinalizers: uids whose pod no longer holds
    /// the finalizer (removed, or the pod is gone) move into the counters.
    static func countReleased(_ status: inout JobStatus, stillHeld: Set<String>) -> Bool {
        guard var uncounted = status.uncountedTerminatedPods else { return false }
        var changed = false
        let succeeded = uncounted.succeeded ?? []
        let keptSucceeded = succeeded.filter(stillHeld.contains)
        if keptSucceeded.count != succeeded.count {
            status.succeeded = (status.succeeded ?? 0) + Int32(succeeded.count - keptSucceeded.count)
            uncounted.succeeded = keptSucceeded
            changed = true
        }
        let failed = uncounted.failed ?? []
        let keptFailed = failed.filter(stillHeld.contains)
        if keptFailed.count != failed.count {
            status.failed = (status.failed ?? 0) + Int32(failed.count - keptFailed.count)
            uncounted.failed = keptFailed
            changed = true
        }
        status.uncountedTerminatedPods = uncounted.normalized
        return changed
    }

    /// upstream enactJobFinished: the terminal condition, once no pod is left
    /// uncounted or terminating; Complete also sets completionTime.
    private func finish(_ context: inout JobSyncContext, now: Time) -> Bool {
        guard let condition = context.finished else { return false }
        let uncounted = context.job.status.uncountedTerminatedPods
        guard (uncounted?.succeeded ?? []).isEmpty, (uncounted?.failed ?? []).isEmpty, context.terminating == 0 else {
            return false
        }
        var conditions = context.job.status.conditions ?? []
        _ = JobConditions.ensure(
            &conditions, condition.type, status: "True", reason: condition.reason ?? "", message: condition.message ?? "", now: now)
        context.job.status.conditions = conditions
        if condition.type == JobConditions.complete {
            context.job.status.completionTime = now.truncatedToSeconds
            record(context.job, .normal, "Completed", "Job completed")
        } else {
            record(context.job, .warning, condition.reason ?? "", condition.message ?? "")
        }
        return true
    }
}

extension UncountedTerminatedPods {
    /// Empty lists left out, as upstream writes `uncountedTerminatedPods: {}`.
    var normalized: UncountedTerminatedPods {
        var copy = self
        if copy.succeeded?.isEmpty == true { copy.succeeded = nil }
        if copy.failed?.isEmpty == true { copy.failed = nil }
        return copy
    }
}
