import Foundation
import Logging
import SkiffAPI
import SkiffClient

/// Creates Jobs on each CronJob's schedule, as upstream's cronjob controller
/// (v2): at each sync it finds the most recent unmet scheduled time, honours
/// suspend, startingDeadlineSeconds and concurrencyPolicy, creates the job named
/// `<cronjob>-<scheduled time in minutes since the epoch>`, keeps
/// `status.active`, `lastScheduleTime` and `lastSuccessfulTime`, prunes finished
/// jobs past the history limits, and syncs again at the next scheduled time.
public final class CronJobController: Controller {
    public let name = "cronjob"
    public let queue = WorkQueue<String>()
    static let scheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"
    /// upstream: more missed start times than this are reported, and only the latest runs.
    static let tooManyMissed = 100

    let client: APIClient
    let cronJobs: Informer<CronJob>
    let jobs: Informer<Job>
    let events: EventRecorder?
    let logger: Logger
    /// The clock; tests pass a fake one and sync by hand after moving it.
    let now: @Sendable () -> Date
    /// The zone of schedules without `spec.timeZone` (upstream: the controller manager's local zone).
    let localTimeZone: TimeZone

    public init(
        client: APIClient, informers: SharedInformers, events: EventRecorder?, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }, localTimeZone: TimeZone = .current
    ) {
        self.client = client
        self.events = events
        self.logger = logger
        self.now = now
        self.localTimeZone = localTimeZone
        cronJobs = informers.informer(CronJob.self)
        jobs = informers.informer(Job.self)
        cronJobs.addHandler { [weak self] event in
            switch event {
            case .added(let cronJob), .updated(_, let cronJob), .deleted(let cronJob):
                self?.queue.add(ObjectKey.make(namespace: cronJob.metadata.namespace, name: cronJob.metadata.name))
            case .synced:
                break
            }
        }
        jobs.addHandler { [weak self] event in
            switch event {
            case .added(let job), .deleted(let job): self?.enqueueOwner(of: job)
            case .updated(let old, let new):
                self?.enqueueOwner(of: old)
                self?.enqueueOwner(of: new)
            case .synced: break
            }
        }
    }

    private func enqueueOwner(of job: Job) {
        guard let reference = job.metadata.controllerReference, reference.kind == CronJob.kind,
            reference.apiVersion.hasPrefix("batch/")
        else { return }
        queue.add(ObjectKey.make(namespace: job.metadata.namespace, name: reference.name))
    }

    /// The jobs this cron job controls.
    func ownedJobs(_ cronJob: CronJob) -> [Job] {
        jobs.list().filter {
            $0.metadata.namespace == cronJob.metadata.namespace && $0.metadata.controllerReference?.uid == cronJob.metadata.uid
        }
    }

    func record(_ cronJob: CronJob, _ type: EventRecorder.EventType, _ reason: String, _ message: String) {
        events?.record(ObjectReference(to: cronJob), type: type, reason: reason, message: message)
    }
}
