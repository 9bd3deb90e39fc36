import Foundation
import SkiffAPI
import Synchronization
import Testing
@testable import SkiffKubelet

/// The workers' logic with a scripted prober and a clock the test steps: each step
/// advances the clock and waits until every worker is asleep again, so what a round
/// did is done when the test looks.
@Suite struct ProbeWorkerTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    struct Fixture {
        let clock: ManualProbeClock
        let prober: ScriptedProber
        let manager: ProbeManager
        let notifications: NotificationLog
        let workers: Int

        /// Advances by `seconds` and lets every worker finish its round.
        func step(_ seconds: Double = 1) async throws {
            clock.advance(by: seconds)
            try await settle()
        }

        func settle() async throws {
            let settled = try await eventually { clock.sleepers == workers }
            try #require(settled, "workers did not settle")
        }
    }

    /// A pod `web` whose container `app` has the given probes, running since `start`.
    func fixture(startup: Probe? = nil, liveness: Probe? = nil, readiness: Probe? = nil,
                 restartPolicy: String? = nil, scripts: [String: [ProbeResult]] = [:]) async throws -> Fixture {
        let clock = ManualProbeClock(now: start)
        let prober = ScriptedProber()
        for (name, results) in scripts { prober.script(name, results) }
        // The kubelet started long ago: no random spread of the first probes.
        let manager = ProbeManager(prober: prober, clock: clock, kubeletStartedAt: .distantPast)
        var container = Container(name: "app", image: "busybox")
        container.startupProbe = startup
        container.livenessProbe = liveness
        container.readinessProbe = readiness
        var pod = Pod()
        pod.metadata.uid = "uid-1"
        pod.metadata.name = "web"
        pod.spec.containers = [container]
        pod.spec.restartPolicy = restartPolicy
        await manager.updatePodStatus(uid: "uid-1", status(id: "c1", .running(startedAt: start)))
        let notifications = NotificationLog(manager.notifications)
        await manager.addPod(pod)
        let fixture = Fixture(
            clock: clock, prober: prober, manager: manager, notifications: notifications,
            workers: [startup, liveness, readiness].compactMap { $0 }.count)
        try await fixture.settle()
        return fixture
    }

    func status(id: String, _ state: ProbedContainerStatus.State, deleting: Bool = false, terminal: Bool = false)
        -> ProbedPodStatus
    {
        ProbedPodStatus(
            podIP: "10.42.0.9", isTerminal: terminal, isDeleting: deleting,
            containers: ["app": ProbedContainerStatus(containerID: id, state: state)])
    }

    /// An exec probe whose command names it, so the scripted prober tells them apart.
    func probe(_ name: String, initialDelay: Int32 = 0, period: Int32 = 1, success: Int32 = 1, failure: Int32 = 3) -> Probe {
        var probe = Probe()
        probe.exec = ExecAction(command: [name])
        probe.initialDelaySeconds = initialDelay
        probe.periodSeconds = period
        probe.successThreshold = success
        probe.failureThreshold = failure
        return probe
    }

    @Test func initialStatesBeforeAnyProbe() async throws {
        let f = try await fixture(
            startup: probe("startup", initialDelay: 60), liveness: probe("live", initialDelay: 60),
            readiness: probe("ready", initialDelay: 60))
        #expect(await f.manager.state(.readiness, podUID: "uid-1", containerName: "app") == .failure)
        #expect(await f.manager.state(.liveness, podUID: "uid-1", containerName: "app") == .success)
        #expect(await f.manager.state(.startup, podUID: "uid-1", containerName: "app") == .unknown)
        #expect(await f.manager.isStarted(podUID: "uid-1", containerName: "app") == false)
        #expect(await f.manager.isReady(podUID: "uid-1", containerName: "app") == false)
        #expect(f.prober.calls.isEmpty)
    }

    @Test func initialDelayHoldsTheFirstProbe() async throws {
        let f = try await fixture(readiness: probe("ready", initialDelay: 5))
        f.prober.script("ready", [.success])
        for _ in 0..<4 { try await f.step() }
        #expect(f.prober.calls.isEmpty)
        try await f.step()
        #expect(f.prober.calls == ["ready"])
        #expect(await f.manager.isReady(podUID: "uid-1", containerName: "app"))
    }

    @Test func livenessFailsAtTheThresholdThenHoldsUntilANewContainer() async throws {
        let f = try await fixture(
            liveness: probe("live", failure: 3), scripts: ["live": [.failure("boom 1"), .failure("boom 2"), .failure("boom 3")]])
        // The first probe ran at once; two more rounds reach the threshold.
        #expect(await f.manager.state(.liveness, podUID: "uid-1", containerName: "app") == .success)
        try await f.step()
        #expect(await f.manager.state(.liveness, podUID: "uid-1", containerName: "app") == .success)
        try await f.step()
        #expect(await f.manager.state(.liveness, podUID: "uid-1", containerName: "app") == .failure)
        try await f.notifications.wait { $0.events.count == 3 && $0.updates.count == 2 }
        #expect(f.notifications.updates.last
            == ProbeUpdate(podUID: "uid-1", containerName: "app", containerID: "c1", kind: .liveness, state: .failure,
                           failureMessage: "boom 3"))
        #expect(f.notifications.events.map(\.message)
            == ["Liveness probe failed: boom 1", "Liveness probe failed: boom 2", "Liveness probe failed: boom 3"])
        #expect(f.notifications.events.allSatisfy { $0.reason == "Unhealthy" })

        // On hold: the container is about to be restarted.
        try await f.step()
        try await f.step()
        #expect(f.prober.calls.count == 3)

        // The restarted container starts from liveness' initial success and is probed.
        f.prober.script("live", [.success])
        await f.manager.updatePodStatus(uid: "uid-1", status(id: "c2", .running(startedAt: f.clock.now)))
        try await f.step()
        #expect(f.prober.calls.count == 4)
        #expect(await f.manager.state(.liveness, podUID: "uid-1", containerName: "app") == .success)
        try await f.notifications.wait { $0.updates.last?.containerID == "c2" }
    }

    @Test func readinessNeedsSuccessThresholdSuccessesInARow() async throws {
        let f = try await fixture(
            readiness: probe("ready", success: 2, failure: 1),
            scripts: ["ready": [.success, .failure("down"), .success, .success]])
        #expect(await f.manager.isReady(podUID: "uid-1", containerName: "app") == false)   // one success
        try await f.step()
        #expect(await f.manager.isReady(podUID: "uid-1", containerName: "app") == false)   // failure
        try await f.step()
        #expect(await f.manager.isReady(podUID: "uid-1", containerName: "app") == false)   // one success again
        try await f.step()
        #expect(await f.manager.isReady(podUID: "uid-1", containerName: "app"))
        // Readiness keeps probing after a failure: no hold.
        #expect(f.prober.calls.count == 4)
    }

    @Test func livenessAndReadinessWaitForStartup() async throws {
        // Liveness and readiness tick every 2 s, startup every second: at t=1 only
        // startup runs, so the others see it succeeded from t=2 on.
        let f = try await fixture(
            startup: probe("startup"), liveness: probe("live", period: 2), readiness: probe("ready", period: 2),
            scripts: ["startup": [.failure("not yet"), .success]])
        #expect(f.prober.calls == ["startup"])
        #expect(await f.manager.isStarted(podUID: "uid-1", containerName: "app") == false)
        try await f.step()
        #expect(await f.manager.isStarted(podUID: "uid-1", containerName: "app"))
        #expect(f.prober.calls == ["startup", "startup"])
        for _ in 0..<3 { try await f.step() }
        // Startup is not probed once it succeeded; the others now are.
        #expect(f.prober.calls.filter { $0 == "startup" }.count == 2)
        #expect(f.prober.calls.filter { $0 == "live" }.count == 2)
        #expect(f.prober.calls.filter { $0 == "ready" }.count == 2)
        #expect(await f.manager.isReady(podUID: "uid-1", containerName: "app"))
    }

    @Test func erroredProbesAreRetriedThenThrownAway() async throws {
        let f = try await fixture(
            readiness: probe("ready", failure: 1),
            scripts: ["ready": [.unknown("no exec"), .unknown("no exec"), .unknown("no exec")]])
        #expect(f.prober.calls.count == 3)
        try await f.notifications.wait { $0.events.count == 1 }
        #expect(f.notifications.events.map(\.message) == ["Readiness probe errored and resulted in unknown state: no exec"])
        // The state is still the initial one, though failureThreshold is 1.
        #expect(f.notifications.updates.map(\.state) == [.failure])
        #expect(await f.manager.state(.readiness, podUID: "uid-1", containerName: "app") == .failure)
    }

    @Test func warningCountsAsSuccessWithAnEvent() async throws {
        let f = try await fixture(
            readiness: probe("ready"), scripts: ["ready": [.warning("Probe terminated redirects, Response body: ")]])
        #expect(await f.manager.isReady(podUID: "uid-1", containerName: "app"))
        try await f.notifications.wait { $0.events.count == 1 }
        #expect(f.notifications.events.first?.reason == "ProbeWarning")
        #expect(f.notifications.events.first?.message == "Readiness probe warning: Probe terminated redirects, Response body: ")
    }

    @Test func deletionMakesLivenessSucceedAndStop() async throws {
        let f = try await fixture(liveness: probe("live", failure: 1))
        await f.manager.updatePodStatus(uid: "uid-1", status(id: "c1", .running(startedAt: start), deleting: true))
        f.clock.advance(by: 1)
        let ended = try await eventually { await f.manager.workerKeys.isEmpty }
        #expect(ended)
        #expect(f.prober.calls.count == 1)
    }

    @Test func terminatedContainerFailsAndWorkerEndsWhenNeverRestarted() async throws {
        let f = try await fixture(readiness: probe("ready"), restartPolicy: "Never")
        #expect(await f.manager.isReady(podUID: "uid-1", containerName: "app"))
        await f.manager.updatePodStatus(uid: "uid-1", status(id: "c1", .terminated))
        f.clock.advance(by: 1)
        let ended = try await eventually { await f.manager.workerKeys.isEmpty }
        #expect(ended)
        try await f.notifications.wait { $0.updates.count == 3 }
        #expect(f.notifications.updates.map(\.state) == [.failure, .success, .failure])
    }

    @Test func removePodStopsItsWorkers() async throws {
        let f = try await fixture(liveness: probe("live"), readiness: probe("ready"))
        #expect(await f.manager.workerKeys.count == 2)
        await f.manager.removePod(uid: "uid-1")
        #expect(await f.manager.workerKeys.isEmpty)
        #expect(await f.manager.state(.liveness, podUID: "uid-1", containerName: "app") == nil)
        let asleep = try await eventually { f.clock.sleepers == 0 }
        #expect(asleep)
    }
}

/// A prober that answers from a script per probe (named by its exec command) and
/// then succeeds; it records each call.
final class ScriptedProber: ContainerProbing {
    private let state = Mutex((scripts: [String: [ProbeResult]](), calls: [String]()))

    func script(_ name: String, _ results: [ProbeResult]) {
        state.withLock { $0.scripts[name] = results }
    }

    var calls: [String] { state.withLock { $0.calls } }

    func probe(_ probe: Probe, target: ProbeTarget, timeout: Duration) async -> ProbeResult {
        let name = probe.exec?.command?.first ?? ""
        return state.withLock { state in
            state.calls.append(name)
            guard var script = state.scripts[name], !script.isEmpty else { return .success }
            let result = script.removeFirst()
            state.scripts[name] = script
            return result
        }
    }
}

/// Everything the manager sent, collected as it arrives.
final class NotificationLog: Sendable {
    private let received = Mutex([ProbeNotification]())

    init(_ stream: AsyncStream<ProbeNotification>) {
        Task { [self] in
            for await notification in stream { self.received.withLock { $0.append(notification) } }
        }
    }

    var updates: [ProbeUpdate] {
        received.withLock { $0.compactMap { if case .changed(let update) = $0 { update } else { nil } } }
    }

    var events: [ProbeEvent] {
        received.withLock { $0.compactMap { if case .event(let event) = $0 { event } else { nil } } }
    }

    /// Waits until what arrived satisfies `condition` (they arrive asynchronously).
    func wait(_ condition: @escaping (NotificationLog) -> Bool) async throws {
        let arrived = try await eventually { condition(self) }
        try #require(arrived, "the expected notifications did not arrive")
    }
}

/// A clock that moves only when the test says so; sleepers wake when it passes their
/// deadline, or throw when their task is cancelled.
final class ManualProbeClock: ProbeClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let state: Mutex<(now: Date, sleepers: [UUID: Sleeper], cancelled: Set<UUID>)>

    init(now: Date) {
        state = Mutex((now, [:], []))
    }

    var now: Date { state.withLock { $0.now } }

    var sleepers: Int { state.withLock { $0.sleepers.count } }

    func advance(by seconds: Double) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.addingTimeInterval(seconds)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return Array(due.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    func sleep(until deadline: Date) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let sleeper = state.sleepers.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return nil
                }
                return sleeper
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
