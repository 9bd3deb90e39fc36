import SkiffAPI
import SkiffClient

extension CronJobController {
    /// upstream cleanupFinishedJobs: keep the newest `successfulJobsHistoryLimit`
    /// complete and `failedJobsHistoryLimit` failed jobs, deleting older ones (by
    /// start time; jobs that never started are kept) with their pods. Returns
    /// whether `status.active` changed.
    func pruneHistory(_ cronJob: inout CronJob, _ owned: [Job]) async -> Bool {
        let successLimit = cronJob.spec.successfulJobsHistoryLimit
        let failureLimit = cronJob.spec.failedJobsHistoryLimit
        guard successLimit != nil || failureLimit != nil else { return false }
        let complete = owned.filter { $0.isFinished && $0.condition(JobConditions.complete) != nil }
        let failed = owned.filter { $0.isFinished && $0.condition(JobConditions.failed) != nil }
        var changed = false
        for (jobs, limit) in [(complete, successLimit), (failed, failureLimit)] {
            guard let limit, jobs.count > Int(limit) else { continue }
            for job in Self.oldestFirst(jobs).prefix(jobs.count - Int(limit)) where job.metadata.deletionTimestamp == nil {
                do { try await deleteJob(job.metadata.name ?? "", of: cronJob) } catch {
                    logger.info("pruning job failed", metadata: ["job": "\(job.metadata.name ?? "")", "error": "\(error)"])
                    continue
                }
                if cronJob.status.active?.contains(where: { $0.uid == job.metadata.uid }) == true {
                    cronJob.status.active?.removeAll { $0.uid == job.metadata.uid }
                    changed = true
                }
            }
        }
        return changed
    }

    /// upstream byJobStartTime: by start time, unstarted jobs last, then by name.
    static func oldestFirst(_ jobs: [Job]) -> [Job] {
        jobs.sorted { a, b in
            switch (a.status.startTime, b.status.startTime) {
            case (nil, nil): return (a.metadata.name ?? "") < (b.metadata.name ?? "")
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?): return x == y ? (a.metadata.name ?? "") < (b.metadata.name ?? "") : x < y
            }
        }
    }
}
