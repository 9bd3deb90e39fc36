import Foundation
import Logging
import SkiffAPI
import SkiffClient
import Synchronization
import Testing

@testable import SkiffControllers

/// A clock the test moves by hand.
final class FakeClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
}

/// The cronjob controller on a fake clock, against the real API server (whose
/// own controllers, the job controller among them, run on the real clock).
@Suite(.serialized) struct CronJobClusterTests {
    struct Harness {
        let cluster: TestCluster
        let clock: FakeClock
        let controller: CronJobController
        let created: Date

        /// Moves the clock `seconds` past the first scheduled time `n` minutes
        /// (a multiple of the schedule's period) after creation, and syncs.
        func advance(toMinute n: Int, plus seconds: Double = 5) {
            clock.set(minuteBoundary(n).addingTimeInterval(seconds))
            controller.queue.add("default/tick")
        }

        func minuteBoundary(_ n: Int) -> Date {
            let minute = (created.timeIntervalSince1970 / 60).rounded(.down) + Double(n)
            return Date(timeIntervalSince1970: minute * 60)
        }

        func jobName(minute n: Int) -> String { "tick-\(Int64(minuteBoundary(n).timeIntervalSince1970) / 60)" }

        func jobs() async throws -> [Job] { try await cluster.client.list(Job.self, namespace: "default").items }

        func cronJob() async throws -> CronJob { try await cluster.client.get(CronJob.self, "tick", namespace: "default") }

        func events(_ reason: String) async throws -> [Event] {
            try await cluster.client.list(Event.self, namespace: "default").items.filter { $0.reason == reason }
        }
    }

    static func cronJob(_ schedule: String) -> CronJob {
        var cronJob = CronJob()
        cronJob.metadata.name = "tick"
        cronJob.metadata.namespace = "default"
        cronJob.spec.schedule = schedule
        cronJob.spec.jobTemplate.metadata.labels = ["app": "tick"]
        cronJob.spec.jobTemplate.spec.template.spec.containers = [Manifests.container(image: "busybox:1")]
        cronJob.spec.jobTemplate.spec.template.spec.restartPolicy = "Never"
        return cronJob
    }

    /// A cluster with the job controller and the GC, plus a cronjob controller on a fake clock.
    func withHarness(_ manifest: CronJob, _ body: (Harness) async throws -> Void) async throws {
        try await TestCluster.with(controllers: ["job", "garbagecollector"]) { cluster in
            let created = try await cluster.client.create(manifest)
            let clock = FakeClock(created.metadata.creationTimestamp?.date ?? Date())
            let client = try APIClient(.plainHTTP(port: cluster.port))
            let logger = Logger(label: "test.cronjob")
            let informers = SharedInformers(client: client, logger: logger)
            let events = EventRecorder(client: client, component: "cronjob-controller", host: nil, logger: logger)
            let controller = CronJobController(
                client: client, informers: informers, events: events, logger: logger, now: { clock.now() },
                localTimeZone: TimeZone(identifier: "UTC")!)
            let running = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await informers.run() }
                    group.addTask { await events.run() }
                    group.addTask {
                        await informers.waitForSync()
                        await controller.runWorkers(2, logger: logger)
                    }
                }
            }
            let harness = Harness(
                cluster: cluster, clock: clock, controller: controller, created: created.metadata.creationTimestamp?.date ?? Date())
            do {
                try await body(harness)
            } catch {
                running.cancel()
                await running.value
                client.close()
                throw error
            }
            running.cancel()
            await running.value
            client.close()
        }
    }

    /// Completes a job by playing the kubelet for its pods.
    func complete(_ job: String, _ harness: Harness) async throws -> Bool {
        try await eventually {
            if try await harness.cluster.job(job).hasCondition("Complete") { return true }
            try await harness.cluster.finishPods(of: job, "Succeeded")
            return false
        }
    }

    @Test func firesOnScheduleWithAFakeClock() async throws {
        try await withHarness(Self.cronJob("*/5 * * * *")) { (harness: Harness) async throws in
            // Not due yet: nothing starts.
            harness.controller.queue.add("default/tick")
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await harness.jobs().isEmpty)

            let first = Int((harness.created.timeIntervalSince1970 / 60).rounded(.down)) % 5
            let due = 5 - first  // minutes from creation's minute to the next multiple of 5
            harness.advance(toMinute: due)
            #expect(try await eventually { try await harness.jobs().map(\.metadata.name) == [harness.jobName(minute: due)] })
            let job = try #require(try await harness.jobs().first)
            #expect(job.metadata.controllerReference?.kind == "CronJob")
            #expect(job.metadata.labels?["app"] == "tick")
            let formatter = ISO8601DateFormatter()
            #expect(job.metadata.annotations?["batch.kubernetes.io/cronjob-scheduled-timestamp"]
                == formatter.string(from: harness.minuteBoundary(due)))
            #expect(try await eventually {
                let status = try await harness.cronJob().status
                return status.active?.map(\.name) == [job.metadata.name]
                    && status.lastScheduleTime == Time(harness.minuteBoundary(due))
            })

            // Finished, it leaves status.active and sets lastSuccessfulTime.
            #expect(try await complete(job.metadata.name ?? "", harness))
            #expect(try await eventually {
                let status = try await harness.cronJob().status
                return status.active == nil && status.lastSuccessfulTime != nil
            })
            harness.advance(toMinute: due + 5)
            #expect(try await eventually { try await harness.jobs().count == 2 })
            let names = try await harness.jobs().compactMap(\.metadata.name)
            #expect(names.contains(harness.jobName(minute: due + 5)))
        }
    }

    @Test func forbidSkipsWhileAJobRuns() async throws {
        var manifest = Self.cronJob("* * * * *")
        manifest.spec.concurrencyPolicy = "Forbid"
        try await withHarness(manifest) { (harness: Harness) async throws in
            harness.advance(toMinute: 1)
            #expect(try await eventually { try await harness.jobs().count == 1 })
            harness.advance(toMinute: 2)
            #expect(try await eventually { try await !harness.events("JobAlreadyActive").isEmpty })
            #expect(try await harness.jobs().map(\.metadata.name) == [harness.jobName(minute: 1)])

            // Once it is done, the missed run starts.
            #expect(try await complete(harness.jobName(minute: 1), harness))
            #expect(try await eventually {
                let names = try await harness.jobs().compactMap(\.metadata.name)
                return names.sorted() == [harness.jobName(minute: 1), harness.jobName(minute: 2)]
            })
        }
    }

    @Test func replaceDeletesTheRunningJob() async throws {
        var manifest = Self.cronJob("* * * * *")
        manifest.spec.concurrencyPolicy = "Replace"
        try await withHarness(manifest) { (harness: Harness) async throws in
            harness.advance(toMinute: 1)
            #expect(try await eventually { try await harness.jobs().count == 1 })
            harness.advance(toMinute: 2)
            #expect(try await eventually {
                try await harness.jobs().filter { $0.metadata.deletionTimestamp == nil }.map(\.metadata.name)
                    == [harness.jobName(minute: 2)]
            })
            #expect(try await eventually { try await harness.cronJob().status.active?.map(\.name) == [harness.jobName(minute: 2)] })
        }
    }

    @Test func historyLimitsPruneOldJobs() async throws {
        var manifest = Self.cronJob("* * * * *")
        manifest.spec.successfulJobsHistoryLimit = 1
        manifest.spec.failedJobsHistoryLimit = 0
        try await withHarness(manifest) { (harness: Harness) async throws in
            for minute in 1...3 {
                harness.advance(toMinute: minute)
                #expect(try await eventually { try await harness.jobs().contains { $0.metadata.name == harness.jobName(minute: minute) } })
                #expect(try await complete(harness.jobName(minute: minute), harness))
            }
            harness.controller.queue.add("default/tick")
            #expect(try await eventually { try await harness.jobs().map(\.metadata.name) == [harness.jobName(minute: 3)] })
        }
    }

    @Test func suspendedCronJobsStartNothing() async throws {
        var manifest = Self.cronJob("* * * * *")
        manifest.spec.suspend = true
        try await withHarness(manifest) { (harness: Harness) async throws in
            harness.advance(toMinute: 3)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await harness.jobs().isEmpty)
        }
    }

    @Test func tooManyMissedStartTimesRunOnlyTheLatest() async throws {
        try await withHarness(Self.cronJob("* * * * *")) { (harness: Harness) async throws in
            harness.advance(toMinute: 150)
            #expect(try await eventually { try await harness.jobs().count == 1 })
            #expect(try await harness.jobs().first?.metadata.name == harness.jobName(minute: 150))
            #expect(try await eventually {
                try await harness.events("TooManyMissedTimes").first?.message?.hasPrefix("too many missed start times: 150.") == true
            })
        }
    }

    @Test func aStartingDeadlinePassedMissesTheRun() async throws {
        var manifest = Self.cronJob("*/10 * * * *")
        manifest.spec.startingDeadlineSeconds = 30
        try await withHarness(manifest) { (harness: Harness) async throws in
            let first = Int((harness.created.timeIntervalSince1970 / 60).rounded(.down)) % 10
            let due = 10 - first
            // 45 s late with a 30 s deadline: that run is missed.
            harness.advance(toMinute: due, plus: 45)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await harness.jobs().isEmpty)
            // The next one, on time, runs.
            harness.advance(toMinute: due + 10, plus: 20)
            #expect(try await eventually { try await harness.jobs().map(\.metadata.name) == [harness.jobName(minute: due + 10)] })
        }
    }

    @Test func schedulesInTheCronJobsTimeZone() async throws {
        // Tokyo has no daylight saving: 09:00 there is 00:00 UTC.
        var manifest = Self.cronJob("0 9 * * *")
        manifest.spec.timeZone = "Asia/Tokyo"
        try await withHarness(manifest) { (harness: Harness) async throws in
            let nextMidnight = ((harness.created.timeIntervalSince1970 / 86400).rounded(.down) + 1) * 86400
            let minutes = Int((nextMidnight - (harness.created.timeIntervalSince1970 / 60).rounded(.down) * 60) / 60)
            harness.advance(toMinute: minutes)
            #expect(try await eventually { try await harness.jobs().map(\.metadata.name) == [harness.jobName(minute: minutes)] })
            let stamp = try await harness.jobs().first?.metadata.annotations?["batch.kubernetes.io/cronjob-scheduled-timestamp"]
            #expect(stamp?.hasSuffix("T09:00:00+09:00") == true)
        }
    }
}
