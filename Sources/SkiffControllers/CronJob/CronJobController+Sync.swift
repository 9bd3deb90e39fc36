import Foundation
import SkiffAPI
import SkiffClient

extension CronJobController {
    /// upstream sync: reconcile `status.active` with the jobs that exist, start
    /// the job of the most recent unmet scheduled time if the policies allow,
    /// prune finished jobs past the history limits, write the status, and come
    /// back at the next scheduled time.
    public func sync(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        guard let cached = cronJobs.get(name, namespace: namespace) else { return }
        var cronJob = cached
        let owned = ownedJobs(cronJob)
        var changed = try await reconcileActive(&cronJob, owned)
        var requeue: Duration?
        var scheduleError: (any Error)?
        do {
            let (delay, started) = try await startDueJob(&cronJob)
            requeue = delay
            if started { changed = true }
        } catch {
            scheduleError = error
        }
        if await pruneHistory(&cronJob, owned) { changed = true }
        if changed { try await client.updateStatus(cronJob) }
        if let requeue { queue.add(key, after: requeue) }
        if let scheduleError { throw scheduleError }
    }

    /// Drops finished and vanished jobs from `status.active` and moves
    /// `lastSuccessfulTime` forward.
    private func reconcileActive(_ cronJob: inout CronJob, _ owned: [Job]) async throws -> Bool {
        var changed = false
        var active = cronJob.status.active ?? []
        for job in owned {
            let uid = job.metadata.uid ?? ""
            let listed = active.contains { $0.uid == uid }
            if !listed && !job.isFinished {
                // The status write after a creation may not be in the cache yet.
                let fresh = try await client.get(CronJob.self, cronJob.metadata.name ?? "", namespace: cronJob.metadata.namespace)
                if fresh.metadata.uid == cronJob.metadata.uid, (fresh.status.active ?? []).contains(where: { $0.uid == uid }) {
                    cronJob = fresh
                    active = fresh.status.active ?? []
                    continue
                }
                record(cronJob, .warning, "UnexpectedJob", "Saw a job that the controller did not create or forgot: \(job.metadata.name ?? "")")
            } else if listed && job.isFinished {
                active.removeAll { $0.uid == uid }
                let condition = job.condition(JobConditions.complete) != nil ? JobConditions.complete : JobConditions.failed
                record(cronJob, .normal, "SawCompletedJob", "Saw completed job: \(job.metadata.name ?? ""), condition: \(condition)")
                changed = true
            }
            if job.condition(JobConditions.complete) != nil, let completed = job.status.completionTime,
                cronJob.status.lastSuccessfulTime.map({ completed > $0 }) ?? true
            {
                cronJob.status.lastSuccessfulTime = completed
                changed = true
            }
        }
        let ownedUIDs = Set(owned.compactMap(\.metadata.uid))
        for reference in active where !ownedUIDs.contains(reference.uid ?? "") {
            // Read it: the job cache may lag behind a creation.
            do {
                let job = try await client.get(Job.self, reference.name ?? "", namespace: reference.namespace)
                if job.metadata.uid == reference.uid { continue }
            } catch {
                if !error.isNotFound { throw error }
            }
            record(cronJob, .normal, "MissingJob", "Active job went missing: \(reference.name ?? "")")
            active.removeAll { $0.uid == reference.uid }
            changed = true
        }
        cronJob.status.active = active.isEmpty ? nil : active
        return changed
    }
}
