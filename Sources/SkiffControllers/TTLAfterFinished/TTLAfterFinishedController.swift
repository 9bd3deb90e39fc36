import Logging
import SkiffAPI
import SkiffClient

/// Deletes finished Jobs `ttlSecondsAfterFinished` after they finished, as
/// upstream's ttl-after-finished controller: the clock starts at the
/// lastTransitionTime of the Complete or Failed condition, the job is read
/// again before it goes (its TTL may have changed), and it is deleted in the
/// foreground with uid and resourceVersion preconditions, so its pods go first.
public final class TTLAfterFinishedController: Controller {
    public let name = "ttl-after-finished"
    public let queue = WorkQueue<String>()

    let client: APIClient
    let jobs: Informer<Job>
    let logger: Logger
    let now: @Sendable () -> Time

    public init(
        client: APIClient, informers: SharedInformers, logger: Logger, now: @escaping @Sendable () -> Time = { Time.now() }
    ) {
        self.client = client
        self.logger = logger
        self.now = now
        jobs = informers.informer(Job.self)
        jobs.addHandler { [weak self] event in
            switch event {
            case .added(let job), .updated(_, let job):
                guard Self.needsCleanup(job) else { return }
                self?.queue.add(ObjectKey.make(namespace: job.metadata.namespace, name: job.metadata.name))
            case .deleted, .synced:
                break
            }
        }
    }

    static func needsCleanup(_ job: Job) -> Bool {
        job.metadata.deletionTimestamp == nil && job.spec.ttlSecondsAfterFinished != nil && job.isFinished
    }

    /// When the job may go, nil if it is not a finished job with a TTL.
    static func expiry(of job: Job) -> Time? {
        guard needsCleanup(job), let ttl = job.spec.ttlSecondsAfterFinished else { return nil }
        let finished = (job.status.conditions ?? []).first {
            ($0.type == JobConditions.complete || $0.type == JobConditions.failed) && $0.status == "True"
        }
        guard let since = finished?.lastTransitionTime else { return nil }
        return Time(nanosecondsSinceEpoch: since.nanosecondsSinceEpoch + Int64(ttl) * 1_000_000_000)
    }

    public func sync(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        guard let cached = jobs.get(name, namespace: namespace), let cachedExpiry = Self.expiry(of: cached) else { return }
        if let wait = remaining(until: cachedExpiry) { return queue.add(key, after: wait) }
        // The cache may be behind: the TTL may have been raised or the job replaced.
        let fresh: Job
        do { fresh = try await client.get(Job.self, name, namespace: namespace) } catch {
            if error.isNotFound { return }
            throw error
        }
        guard let expiry = Self.expiry(of: fresh) else { return }
        if let wait = remaining(until: expiry) { return queue.add(key, after: wait) }
        var options = DeleteOptions()
        options.propagationPolicy = "Foreground"
        var preconditions = Preconditions()
        preconditions.uid = fresh.metadata.uid
        preconditions.resourceVersion = fresh.metadata.resourceVersion
        options.preconditions = preconditions
        logger.info("deleting finished job past its ttl", metadata: ["job": "\(key)"])
        do { try await client.delete(Job.self, name, namespace: namespace, options: options) } catch {
            if error.isNotFound { return }
            throw error
        }
    }

    private func remaining(until expiry: Time) -> Duration? {
        let left = expiry.nanosecondsSinceEpoch - now().nanosecondsSinceEpoch
        return left > 0 ? .nanoseconds(left) : nil
    }
}
