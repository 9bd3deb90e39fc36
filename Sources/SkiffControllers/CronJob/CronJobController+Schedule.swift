import Foundation
import SkiffAPI
import SkiffClient

extension CronJobController {
    /// upstream syncCronJob's scheduling half. Returns when to look again and
    /// whether a job was started (the status changed).
    func startDueJob(_ cronJob: inout CronJob) async throws -> (requeue: Duration?, started: Bool) {
        guard cronJob.metadata.deletionTimestamp == nil else { return (nil, false) }
        var timeZone = localTimeZone
        if let name = cronJob.spec.timeZone {
            guard let zone = TimeZone(identifier: name) else {
                record(cronJob, .warning, "UnknownTimeZone", "invalid timeZone: \"\(name)\": unknown time zone \(name)")
                return (nil, false)
            }
            timeZone = zone
        }
        let schedule: CronSchedule
        do { schedule = try CronSchedule(parsing: cronJob.spec.schedule) } catch {
            record(cronJob, .warning, "UnparseableSchedule", "unparseable schedule: \"\(cronJob.spec.schedule)\" : \(error)")
            return (nil, false)
        }
        if cronJob.spec.suspend == true { return (nil, false) }

        let now = now()
        let times = try ScheduleTimes(cronJob, now: now, schedule: schedule, timeZone: timeZone, withStartingDeadline: true)
        if times.missed > Self.tooManyMissed {
            record(
                cronJob, .warning, "TooManyMissedTimes",
                "too many missed start times: \(times.missed). Set or decrease .spec.startingDeadlineSeconds or check clock skew")
        }
        guard let scheduled = times.mostRecent else { return (nextDelay(cronJob, now, schedule, timeZone), false) }
        if let deadline = cronJob.spec.startingDeadlineSeconds, scheduled.addingTimeInterval(Double(deadline)) < now {
            record(cronJob, .warning, "MissSchedule", "Missed scheduled time to start a job: \(Self.rfc3339(scheduled, timeZone))")
            return (nextDelay(cronJob, now, schedule, timeZone), false)
        }
        let jobName = Self.jobName(cronJob, scheduled)
        let alreadyStarted =
            (cronJob.status.active ?? []).contains { $0.name == jobName }
            || cronJob.status.lastScheduleTime == Time(scheduled).truncatedToSeconds
        if alreadyStarted { return (nextDelay(cronJob, now, schedule, timeZone), false) }

        let active = cronJob.status.active ?? []
        switch cronJob.spec.concurrencyPolicy ?? "Allow" {
        case "Forbid" where !active.isEmpty:
            record(cronJob, .normal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid")
            return (nextDelay(cronJob, now, schedule, timeZone), false)
        case "Replace":
            for reference in active {
                try await deleteJob(reference.name ?? "", of: cronJob)
                cronJob.status.active?.removeAll { $0.uid == reference.uid }
            }
        default:
            break
        }

        let job = try await createJob(Self.job(from: cronJob, scheduled: scheduled, timeZone: timeZone), for: cronJob)
        if !job.isFinished && !(cronJob.status.active ?? []).contains(where: { $0.uid == job.metadata.uid }) {
            cronJob.status.active = (cronJob.status.active ?? []) + [ObjectReference(to: job)]
        }
        cronJob.status.lastScheduleTime = Time(scheduled).truncatedToSeconds
        return (nextDelay(cronJob, now, schedule, timeZone), true)
    }

    /// Creates the job; one of that name already made by this cron job (a status
    /// write that was lost) counts as created.
    private func createJob(_ job: Job, for cronJob: CronJob) async throws -> Job {
        do {
            let created = try await client.create(job)
            record(cronJob, .normal, "SuccessfulCreate", "Created job \(created.metadata.name ?? "")")
            return created
        } catch {
            guard error.isAlreadyExists else {
                record(cronJob, .warning, "FailedCreate", "Error creating job: \(error.message)")
                throw error
            }
            let existing = try await client.get(Job.self, job.metadata.name ?? "", namespace: job.metadata.namespace)
            guard existing.metadata.controllerReference?.uid == cronJob.metadata.uid else { throw error }
            return existing
        }
    }

    func deleteJob(_ name: String, of cronJob: CronJob) async throws {
        var options = DeleteOptions()
        options.propagationPolicy = "Background"
        do {
            try await client.delete(Job.self, name, namespace: cronJob.metadata.namespace, options: options)
            record(cronJob, .normal, "SuccessfulDelete", "Deleted job \(name)")
        } catch {
            if error.isNotFound { return }
            record(cronJob, .warning, "FailedDelete", "Deleted job: \(error.message)")
            throw error
        }
    }

    /// upstream nextScheduleTimeDuration: until just after the next scheduled time.
    private func nextDelay(_ cronJob: CronJob, _ now: Date, _ schedule: CronSchedule, _ timeZone: TimeZone) -> Duration? {
        guard let times = try? ScheduleTimes(cronJob, now: now, schedule: schedule, timeZone: timeZone, withStartingDeadline: false),
            let next = schedule.next(after: times.mostRecent ?? times.earliest, in: timeZone)
        else { return nil }
        let seconds = next.timeIntervalSince(now) + 0.1
        return .milliseconds(Int64(max(0, seconds) * 1000))
    }

    /// `<cronjob>-<scheduled time in minutes since the epoch>` (upstream getJobName).
    static func jobName(_ cronJob: CronJob, _ scheduled: Date) -> String {
        "\(cronJob.metadata.name ?? "")-\(Int64(scheduled.timeIntervalSince1970) / 60)"
    }

    /// upstream getJobFromTemplate2: the template's labels, annotations and spec,
    /// the scheduled time as an annotation, and a controller reference.
    static func job(from cronJob: CronJob, scheduled: Date, timeZone: TimeZone) -> Job {
        var job = Job()
        let template = cronJob.spec.jobTemplate
        job.metadata.name = jobName(cronJob, scheduled)
        job.metadata.namespace = cronJob.metadata.namespace
        job.metadata.labels = template.metadata.labels
        var annotations = template.metadata.annotations ?? [:]
        annotations[scheduledTimestampAnnotation] = rfc3339(scheduled, timeZone)
        job.metadata.annotations = annotations
        job.metadata.ownerReferences = [.controller(cronJob)]
        job.spec = template.spec
        return job
    }

    static func rfc3339(_ date: Date, _ timeZone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// upstream mostRecentScheduleTime: from the last scheduled time (or the
/// creation, or the starting deadline if later), the latest scheduled time not
/// after now and roughly how many were missed.
struct ScheduleTimes {
    var earliest: Date
    var mostRecent: Date?
    var missed: Int64 = 0

    struct InvalidSchedule: Error, CustomStringConvertible {
        var description: String { "time difference between two schedules is less than 1 second" }
    }

    init(_ cronJob: CronJob, now: Date, schedule: CronSchedule, timeZone: TimeZone, withStartingDeadline: Bool) throws {
        earliest = (cronJob.status.lastScheduleTime ?? cronJob.metadata.creationTimestamp ?? Time(now)).date
        if withStartingDeadline, let deadline = cronJob.spec.startingDeadlineSeconds {
            let schedulingDeadline = now.addingTimeInterval(-Double(deadline))
            if schedulingDeadline > earliest { earliest = schedulingDeadline }
        }
        guard let first = schedule.next(after: earliest, in: timeZone), first <= now else { return }
        guard let second = schedule.next(after: first, in: timeZone), second <= now else {
            mostRecent = first
            missed = 1
            return
        }
        let interval = Int64(second.timeIntervalSince(first).rounded())
        guard interval >= 1 else { throw InvalidSchedule() }
        missed = Int64(now.timeIntervalSince(first)) / interval + 1
        // Jump close to now by whole intervals, then walk the schedule, which need
        // not be regular (`30 6-16/4 * * 1-5`).
        var t = first.addingTimeInterval(Double((missed - 2) * interval))
        if t < earliest { t = earliest }
        while let next = schedule.next(after: t, in: timeZone), next <= now {
            mostRecent = next
            t = next
        }
        if mostRecent == nil {
            // The jump overshot an irregular schedule: walk from the first time instead.
            t = first
            mostRecent = first
            while let next = schedule.next(after: t, in: timeZone), next <= now {
                mostRecent = next
                t = next
            }
        }
    }
}
