import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// The scheduler: informers over nodes and pods feed the cache (nodes, bound and
/// assumed pods) and the queue (pods of this scheduler without a node); one
/// loop pops a pod, runs the profile's filters and scores over the cache,
/// assumes the chosen node and starts binding in the background, so the next
/// pod is scheduled while earlier bindings are still on the wire. With leader
/// election only the holder of the Lease does any of this.
public final class Scheduler: Sendable {
    public struct Configuration: Sendable {
        public var profile = Profile.default()
        /// Bindings in flight at most.
        public var bindConcurrency = 32
        /// Take part in leader election through this Lease; nil: always act.
        public var leaderElection: LeaderElector.Configuration?
        public var initialBackoff: Duration = .seconds(1)
        public var maximumBackoff: Duration = .seconds(10)
        /// Shown as the source of events.
        public var host: String?

        public init() {}
    }

    public let configuration: Configuration
    let client: APIClient
    let logger: Logger
    /// Scheduled pods (bound or failed), for logs and benchmarks.
    private let counters = Mutex(Counters())

    public struct Counters: Sendable {
        public var bound = 0
        public var unschedulable = 0
        public var bindFailures = 0
    }

    public init(client: APIClient, configuration: Configuration = Configuration(), logger: Logger = Logger(label: "skiff.scheduler")) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    public var counts: Counters { counters.withLock { $0 } }

    /// Schedules until the task is cancelled; with leader election, campaigns,
    /// schedules while leading, and campaigns again if leadership is lost.
    public func run() async {
        guard let election = configuration.leaderElection else {
            await schedule()
            return
        }
        let elector = LeaderElector(client: client, configuration: election, logger: logger)
        while !Task.isCancelled {
            await elector.run { await self.schedule() }
        }
    }

    /// One term of acting: fresh informers, cache and queue, until cancelled.
    func schedule() async {
        let session = SchedulingSession(scheduler: self)
        await session.run()
    }

    func count(_ update: (inout Counters) -> Void) {
        counters.withLock { update(&$0) }
    }
}
