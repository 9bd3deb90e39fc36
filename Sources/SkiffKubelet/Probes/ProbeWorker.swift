import Foundation
import SkiffAPI

/// Probes one container for one kind of probe, every periodSeconds, and turns the
/// attempts into a standing with the probe's thresholds, as upstream's prober worker
/// does: a new container starts from the kind's initial state, nothing is probed
/// before initialDelaySeconds, liveness and readiness wait for startup to succeed,
/// startup stops probing once it has, and a liveness or startup failure holds the
/// worker until the container is replaced.
public actor ProbeWorker {
    public nonisolated let podUID: String
    public nonisolated let container: Container
    public nonisolated let kind: ProbeKind
    private let probe: Probe
    private let thresholds: Thresholds
    /// The pod's restartPolicy is Never: a terminated container stays so.
    private let neverRestarts: Bool
    private let prober: any ContainerProbing
    private let clock: any ProbeClock
    private weak var manager: ProbeManager?

    private var containerID: String?
    private var onHold = false
    private var lastState: ProbeState?
    private var resultRun = 0

    /// Upstream retries a probe that errored this many times before giving up on it.
    static let attemptsPerProbe = 3

    struct Thresholds: Sendable {
        var initialDelaySeconds: Int
        var period: Duration
        var timeout: Duration
        var successThreshold: Int
        var failureThreshold: Int

        /// The API's defaults, for a probe that was not defaulted.
        init(_ probe: Probe) {
            initialDelaySeconds = Int(probe.initialDelaySeconds ?? 0)
            period = .seconds(max(1, probe.periodSeconds ?? 10))
            timeout = .seconds(max(1, probe.timeoutSeconds ?? 1))
            successThreshold = Int(max(1, probe.successThreshold ?? 1))
            failureThreshold = Int(max(1, probe.failureThreshold ?? 3))
        }
    }

    init(podUID: String, container: Container, kind: ProbeKind, probe: Probe, neverRestarts: Bool,
         prober: any ContainerProbing, clock: any ProbeClock, manager: ProbeManager) {
        self.podUID = podUID
        self.container = container
        self.kind = kind
        self.probe = probe
        self.thresholds = Thresholds(probe)
        self.neverRestarts = neverRestarts
        self.prober = prober
        self.clock = clock
        self.manager = manager
    }

    nonisolated var key: ProbeWorkerKey { ProbeWorkerKey(podUID: podUID, containerName: container.name, kind: kind) }

    nonisolated var period: Duration { thresholds.period }

    /// Probes until the pod ends or the task is cancelled, on a fixed tick: an attempt
    /// that outlasts a period skips the ticks it missed, as Go's ticker drops them.
    /// `firstDelay` spreads the first attempts after the kubelet (re)starts.
    func run(firstDelay: Duration) async {
        await probeUntilEnded(firstDelay: firstDelay)
        await manager?.workerEnded(self, containerID: containerID)
    }

    private func probeUntilEnded(firstDelay: Duration) async {
        if firstDelay > .zero {
            do { try await clock.sleep(until: clock.now.addingTimeInterval(firstDelay.seconds)) } catch { return }
        }
        var tick = clock.now
        while await probeOnce() {
            let now = clock.now
            repeat { tick = tick.addingTimeInterval(period.seconds) } while tick <= now
            do { try await clock.sleep(until: tick) } catch { return }
        }
    }

    /// One round of upstream's doProbe; false when the worker should end.
    func probeOnce() async -> Bool {
        guard let manager, let input = await manager.workerInput(for: key) else { return true }
        let pod = input.pod
        if pod.isTerminal { return false }
        guard let status = pod.containers[container.name], !status.containerID.isEmpty else {
            return true   // not created yet: wait for it
        }
        if containerID != status.containerID {
            containerID = status.containerID
            await manager.record(kind.initialState, for: key, containerID: status.containerID)
            onHold = false
        }
        if onHold { return true }

        guard case .running(let startedAt) = status.state else {
            await manager.record(.failure, for: key, containerID: status.containerID)
            return status.state != .terminated || !neverRestarts
        }
        if pod.isDeleting && kind != .readiness {
            // A last success, so that a pod shutting down is not restarted.
            await manager.record(.success, for: key, containerID: status.containerID)
            return false
        }
        if Int(clock.now.timeIntervalSince(startedAt)) < thresholds.initialDelaySeconds { return true }
        if input.started {
            // Kept alive rather than ended, for the container's next incarnation.
            if kind == .startup { return true }
        } else if kind != .startup {
            return true
        }

        let target = ProbeTarget(container: container, containerID: status.containerID, podIP: pod.podIP)
        guard let outcome = await attempt(target) else { return true }
        let (state, message) = outcome
        if lastState == state {
            resultRun += 1
        } else {
            lastState = state
            resultRun = 1
        }
        if (state == .failure && resultRun < thresholds.failureThreshold)
            || (state == .success && resultRun < thresholds.successThreshold)
        {
            return true
        }
        await manager.record(state, for: key, containerID: status.containerID, failureMessage: message)
        if state == .failure && kind != .readiness {
            // The container will be restarted; probing it while it stops only races
            // with the stop. Wait for the new one.
            onHold = true
            resultRun = 0
        }
        return true
    }

    /// Runs the probe (again, while it errors), records its event, and returns the
    /// state it stands for, with a failure's message; nil for an errored probe, whose
    /// result upstream throws away.
    private func attempt(_ target: ProbeTarget) async -> (ProbeState, String?)? {
        var result = ProbeResult.unknown("")
        for _ in 0..<Self.attemptsPerProbe {
            result = await prober.probe(probe, target: target, timeout: thresholds.timeout)
            if case .unknown = result { continue }
            break
        }
        switch result {
        case .success:
            return (.success, nil)
        case .warning(let message):
            await event(ProbeEvent.probeWarning, "\(kind.eventName) probe warning: \(message)", target)
            return (.success, nil)
        case .failure(let message):
            await event(ProbeEvent.unhealthy, "\(kind.eventName) probe failed: \(message)", target)
            return (.failure, message)
        case .unknown(let message):
            await event(ProbeEvent.unhealthy, "\(kind.eventName) probe errored and resulted in unknown state: \(message)", target)
            return nil
        }
    }

    private func event(_ reason: String, _ message: String, _ target: ProbeTarget) async {
        await manager?.emit(ProbeEvent(
            podUID: podUID, containerName: container.name, containerID: target.containerID, kind: kind, reason: reason,
            message: message))
    }
}

/// One worker per pod, container and kind of probe.
public struct ProbeWorkerKey: Sendable, Hashable {
    public var podUID: String
    public var containerName: String
    public var kind: ProbeKind
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
