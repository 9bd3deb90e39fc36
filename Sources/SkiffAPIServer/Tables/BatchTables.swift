import SkiffAPI

/// batch/v1 kinds: jobs (STATUS COMPLETIONS DURATION as of 1.32) and cron jobs.
enum BatchTables {
    static let job = TablePrinter(
        Job.self,
        columns: [
            Column.name,
            Column.string("Status", "Status of the job."),
            Column.string("Completions", "The number of pods which reached phase Succeeded."),
            Column.string("Duration", "Time required to complete the job."),
            Column.age,
            Column.containers,
            Column.images,
            Column.string("Selector", "A label query over pods that should match the pod count.", priority: 1),
        ]
    ) { job, now in
        let (names, images) = TableFormatting.containerCells(job.spec.template.spec.containers)
        return [
            .string(job.metadata.name ?? ""),
            .string(status(job)),
            .string(completions(job)),
            .string(duration(job, now: now)),
            .string(HumanDuration.since(job.metadata.creationTimestamp, now: now)),
            names, images,
            .string(TableFormatting.labelSelector(job.spec.selector)),
        ]
    }

    /// "2/3", or for a job without completions "0/1", "0/1 of 4" when it runs pods in parallel.
    static func completions(_ job: Job) -> String {
        let succeeded = job.status.succeeded ?? 0
        if let completions = job.spec.completions { return "\(succeeded)/\(completions)" }
        let parallelism = job.spec.parallelism ?? 0
        return parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1"
    }

    /// From start to completion, or to now while it runs; empty before it starts.
    static func duration(_ job: Job, now: Time) -> String {
        guard let start = job.status.startTime else { return "" }
        let end = job.status.completionTime ?? now
        return HumanDuration.string(nanoseconds: end.nanosecondsSinceEpoch - start.nanosecondsSinceEpoch)
    }

    /// The first of Complete, Failed, Terminating, Suspended, FailureTarget that holds, else Running.
    static func status(_ job: Job) -> String {
        let conditions = job.status.conditions ?? []
        // The first condition of a type decides, as upstream's hasJobCondition reads them.
        func holds(_ type: String) -> Bool {
            conditions.first { $0.type == type }?.status == ConditionStatus.true
        }
        if holds("Complete") { return "Complete" }
        if holds("Failed") { return "Failed" }
        if job.metadata.deletionTimestamp != nil { return "Terminating" }
        if holds("Suspended") { return "Suspended" }
        if holds("FailureTarget") { return "FailureTarget" }
        return "Running"
    }

    static let cronJob = TablePrinter(
        CronJob.self,
        columns: [
            Column.name,
            Column.string("Schedule", "The schedule in Cron format."),
            Column.string("Timezone", "The time zone name for the given schedule."),
            Column.boolean("Suspend", "This flag tells the controller to suspend subsequent executions."),
            Column.integer("Active", "A list of pointers to currently running jobs."),
            Column.string("Last Schedule", "Information when was the last time the job was successfully scheduled."),
            Column.age,
            Column.containers,
            Column.images,
            Column.string("Selector", "A label query over pods that should match the pod count.", priority: 1),
        ]
    ) { cronJob, now in
        let jobSpec = cronJob.spec.jobTemplate.spec
        let (names, images) = TableFormatting.containerCells(jobSpec.template.spec.containers)
        let lastSchedule = cronJob.status.lastScheduleTime.map { HumanDuration.since($0, now: now) } ?? "<none>"
        return [
            .string(cronJob.metadata.name ?? ""),
            .string(cronJob.spec.schedule),
            .string(cronJob.spec.timeZone ?? "<none>"),
            .string(TableFormatting.bool(cronJob.spec.suspend)),
            .integer(cronJob.status.active?.count ?? 0),
            .string(lastSchedule),
            .string(HumanDuration.since(cronJob.metadata.creationTimestamp, now: now)),
            names, images,
            .string(TableFormatting.labelSelector(jobSpec.selector)),
        ]
    }
}
