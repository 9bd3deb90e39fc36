import SkiffAPI
import SkiffClient

/// What one sync of a job has read and decided (upstream syncJobCtx).
struct JobSyncContext {
    var job: Job
    var pods: [Pod]
    var active: [Pod]
    /// Active pods after this sync's creations and deletions.
    var activeCount: Int
    var ready: Int32
    var terminating: Int32
    var succeeded: Int32
    var failed: Int32
    /// Pods already counted whose finalizer removal the informer has not shown.
    var counted: Set<String>
    /// Complete or Failed to be, or the interim condition that precedes it.
    var finished: JobCondition?
    var indexed: Bool
    var previousIndexes = CompletionIndexes([])
    var succeededIndexes = CompletionIndexes([])

    var completions: Int { Int(job.spec.completions ?? 0) }
}

extension JobController {
    /// upstream syncJob: count finished pods, decide whether the job failed or
    /// succeeded, else create or delete pods toward `parallelism`, then write the status.
    public func sync(_ key: String) async throws {
        if key.hasPrefix(Self.orphanPodPrefix) { return try await syncOrphanPod(String(key.dropFirst(Self.orphanPodPrefix.count))) }
        let (namespace, name) = ObjectKey.split(key)
        guard var job = jobs.get(name, namespace: namespace) else {
            expectations.remove(key)
            return
        }
        if job.isFinished { return }
        let mode = job.spec.completionMode ?? "NonIndexed"
        guard mode == "NonIndexed" || mode == "Indexed" else {
            record(job, .warning, "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown")
            return
        }
        if job.status.uncountedTerminatedPods == nil { job.status.uncountedTerminatedPods = UncountedTerminatedPods() }
        let now = now()
        // Read before the pods, so a pod created meanwhile defers the next change.
        let satisfied = expectations.satisfied(key)
        let pods = try await podsForJob(job)
        let active = pods.filter(\.isActive)
        let counted = removedFinalizers.withLock { $0 }
        var context = JobSyncContext(
            job: job, pods: pods, active: active, activeCount: active.count, ready: Int32(active.filter(\.isReady).count),
            terminating: Int32(pods.filter(JobPods.isTerminating).count), succeeded: 0, failed: 0, counted: counted,
            indexed: mode == "Indexed")
        let (newSucceeded, newFailed) = newlyFinished(context)
        let uncounted = job.status.uncountedTerminatedPods ?? UncountedTerminatedPods()
        context.succeeded = (job.status.succeeded ?? 0) + Int32(newSucceeded) + Int32(uncounted.succeeded?.count ?? 0)
        context.failed = (job.status.failed ?? 0) + Int32(newFailed) + Int32(uncounted.failed?.count ?? 0)
        if context.job.status.startTime == nil && !job.isSuspended { context.job.status.startTime = now.truncatedToSeconds }
        noteFailures(key, succeeded: newSucceeded, failed: newFailed, now: now)

        context.finished = job.condition(JobConditions.successCriteriaMet)
        if context.finished == nil, let target = job.condition(JobConditions.failureTarget) {
            context.finished = JobConditions.terminal(after: target, now: now)
        }
        if context.finished == nil {
            if context.failed > (job.spec.backoffLimit ?? 6) || JobPods.pastBackoffLimitOnFailure(job, pods) {
                context.finished = JobConditions.backoffLimitExceeded(now: now)
            } else if let remaining = deadlineRemaining(context.job, now: now) {
                if remaining <= .zero {
                    context.finished = JobConditions.deadlineExceeded(now: now)
                } else {
                    queue.add(key, after: remaining)
                }
            }
        }
        if context.indexed {
            context.previousIndexes = CompletionIndexes(parsing: job.status.completedIndexes, completions: context.completions)
            context.succeededIndexes = context.previousIndexes
            for pod in pods where pod.status.phase == "Succeeded" {
                if let index = JobPods.completionIndex(pod), index < context.completions { context.succeededIndexes.insert(index) }
            }
            context.succeeded = Int32(context.succeededIndexes.count)
        }

        var suspendChanged = false
        var manageError: (any Error)?
        if context.finished != nil {
            // A failing or succeeding job stops its remaining pods first; it is
            // finished only once none are left to count.
            let (deletedReady, deleted) = await deleteActive(context.active, of: job, removingFinalizers: false, key: key)
            if deleted != context.activeCount || !satisfied { context.finished = nil }
            context.activeCount -= deleted
            context.terminating += Int32(deleted)
            context.ready -= Int32(deletedReady)
        } else {
            var managed = false
            if satisfied && job.metadata.deletionTimestamp == nil {
                do { try await manage(&context, key: key, now: now) } catch { manageError = error }
                managed = true
            }
            let activeCount = Int32(context.activeCount)
            let complete =
                job.spec.completions == nil
                ? context.succeeded > 0 && activeCount == 0
                : context.succeeded >= (job.spec.completions ?? 0) && activeCount == 0
            if complete {
                context.finished = JobConditions.completionsReached(now: now)
            } else if managed {
                suspendChanged = updateSuspended(&context, now: now)
            }
        }
        let activeNow = Int32(context.activeCount)
        let statusChanged =
            suspendChanged || activeNow != (job.status.active ?? 0) || context.ready != job.status.ready
            || context.terminating != job.status.terminating
        context.job.status.active = activeNow
        context.job.status.ready = context.ready
        context.job.status.terminating = context.terminating
        do { try await trackStatus(&context, statusChanged: statusChanged, key: key, now: now) } catch {
            // Deleted meanwhile: its delete event brings the key back, and nothing is left to count.
            if (error as? ClientError)?.isNotFound == true { return }
            throw error
        }
        if let manageError { throw manageError }
    }

    /// The job's pods: those it controls and its selector matches, after adopting
    /// orphans that match and releasing pods that stopped matching.
    private func podsForJob(_ job: Job) async throws -> [Pod] {
        let selector = try Labels.Selector(job.spec.selector)
        let candidates = pods.list().filter { $0.metadata.namespace == job.metadata.namespace }
        let claims = Claims<Job, Pod>(client: client, owner: job, selector: selector) { try await self.client.isCurrent(job) }
        return try await claims.claim(candidates)
    }

    /// Pods that finished since the status last counted them (upstream getNewFinishedPods).
    private func newlyFinished(_ context: JobSyncContext) -> (succeeded: Int, failed: Int) {
        let uncounted = context.job.status.uncountedTerminatedPods
        let uncountedSucceeded = Set(uncounted?.succeeded ?? [])
        let uncountedFailed = Set(uncounted?.failed ?? [])
        var succeeded = 0
        var failed = 0
        for pod in context.pods where JobPods.hasTrackingFinalizer(pod) && !context.counted.contains(pod.metadata.uid ?? "") {
            let uid = pod.metadata.uid ?? ""
            if pod.status.phase == "Succeeded" {
                if !uncountedSucceeded.contains(uid) { succeeded += 1 }
            } else if JobPods.isFailed(pod, of: context.job), !uncountedFailed.contains(uid) {
                failed += 1
            }
        }
        return (succeeded, failed)
    }

    /// Time left before activeDeadlineSeconds, nil when there is no deadline (or
    /// the job is suspended: the deadline counts only active time).
    private func deadlineRemaining(_ job: Job, now: Time) -> Duration? {
        guard let deadline = job.spec.activeDeadlineSeconds, !job.isSuspended, let start = job.status.startTime else { return nil }
        let elapsed = now.nanosecondsSinceEpoch - start.nanosecondsSinceEpoch
        return .nanoseconds(deadline * 1_000_000_000 - elapsed)
    }

    /// The Suspended condition follows spec.suspend; a resumed job's deadline restarts.
    private func updateSuspended(_ context: inout JobSyncContext, now: Time) -> Bool {
        var conditions = context.job.status.conditions ?? []
        let changed: Bool
        if context.job.isSuspended {
            changed = JobConditions.ensure(&conditions, JobConditions.suspended, status: "True", reason: "JobSuspended", message: "Job suspended", now: now)
            if changed { record(context.job, .normal, "Suspended", "Job suspended") }
        } else {
            changed = JobConditions.ensure(&conditions, JobConditions.suspended, status: "False", reason: "JobResumed", message: "Job resumed", now: now)
            if changed {
                record(context.job, .normal, "Resumed", "Job resumed")
                context.job.status.startTime = now.truncatedToSeconds
            }
        }
        context.job.status.conditions = conditions.isEmpty ? nil : conditions
        return changed
    }
}
