import Foundation
import SkiffAPI

/// A container's two lifecycle hooks.
public enum LifecycleHook: String, Sendable, Hashable {
    case postStart
    case preStop

    /// The reason of the Warning event for a failed hook.
    public var failedEventReason: String {
        switch self {
        case .postStart: "FailedPostStartHook"
        case .preStop: "FailedPreStopHook"
        }
    }

    /// The event's message. Upstream keeps the hook's own message out of events, where
    /// a command's output could leak a secret; it goes to the kubelet's log instead.
    public var failedEventMessage: String {
        switch self {
        case .postStart: "PostStartHook failed"
        case .preStop: "PreStopHook failed"
        }
    }
}

/// A hook that failed, with upstream's message ("Exec lifecycle hook ([sh -c exit 3])
/// for Container "web" in Pod "web_shop(uid)" failed - error: …"). The core records
/// `hook.failedEventReason`, and kills the container when postStart failed.
public struct LifecycleHookFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var hook: LifecycleHook
    public var message: String

    public var description: String { message }
}

/// How a preStop hook went within the container's grace period.
public struct PreStopOutcome: Sendable, Hashable {
    /// nil when the hook succeeded or ran out of time.
    public var failure: LifecycleHookFailure?
    /// False when the grace period ended first; the hook was then cancelled.
    public var completed: Bool
    /// What is left of the grace period for stopping the container: never less than
    /// upstream's minimum of 2 seconds, so a container always gets a chance to exit.
    public var remainingGracePeriod: Duration
}

/// Runs postStart and preStop handlers: exec inside the container, httpGet to the
/// pod (as a probe does, but any response counts as success, as upstream), and sleep.
public struct LifecycleHookRunner: Sendable {
    /// Upstream's minimumGracePeriodInSeconds.
    public static let minimumGracePeriod = Duration.seconds(2)

    private let commands: any ContainerCommandRunning
    private let http = ProbeHTTPClient()

    public init(commands: any ContainerCommandRunning) {
        self.commands = commands
    }

    /// Runs one hook's handler for `container` (its runtime id `containerID`) of `pod`;
    /// nil when it succeeded. Cancelling the task cancels the handler.
    public func run(_ hook: LifecycleHook, _ handler: LifecycleHandler, pod: Pod, container: Container,
                    containerID: String, podIP: String?) async -> LifecycleHookFailure? {
        let subject = "for Container \(GoText.quote(container.name)) in Pod \(GoText.quote(Self.describe(pod)))"
        if let exec = handler.exec {
            let command = exec.command ?? []
            let outcome: ContainerCommandOutcome
            do {
                // No timeout, as upstream: a hook runs until it ends (preStop until the
                // grace period does).
                outcome = try await commands.run(command, in: containerID, timeout: nil)
            } catch {
                return failure(hook, "Exec lifecycle hook (\(Self.goList(command))) \(subject) failed - error: \(error), message: \"\"")
            }
            let reason: String
            let output: String
            switch outcome {
            case .exited(0, _):
                return nil
            case .exited(let code, let text):
                (reason, output) = ("command '\(command.joined(separator: " "))' exited with \(code): \(text)", text)
            case .timedOut(let text):
                (reason, output) = ("command \(GoText.quote(command.joined(separator: " "))) timed out", text)
            }
            return failure(
                hook, "Exec lifecycle hook (\(Self.goList(command))) \(subject) failed - error: \(reason), message: \(GoText.quote(output))")
        }
        if let action = handler.httpGet {
            guard let error = await get(action, container: container, podIP: podIP) else { return nil }
            return failure(hook, "HTTP lifecycle hook (\(action.path ?? "")) \(subject) failed - error: \(error)")
        }
        if let sleep = handler.sleep {
            do {
                try await Task.sleep(for: .seconds(max(0, sleep.seconds)))
                return nil
            } catch {
                return failure(hook, "Sleep lifecycle hook (\(sleep.seconds)) \(subject) failed - error: container terminated before sleep hook finished")
            }
        }
        // tcpSocket is accepted by the API for compatibility but never run by a kubelet.
        return failure(hook, "Cannot run handler: invalid handler: \(Self.describe(handler))")
    }

    /// Runs a preStop handler for at most `gracePeriod` (cancelling it then), and says
    /// how much of the grace period is left for stopping the container.
    public func runPreStop(_ handler: LifecycleHandler, pod: Pod, container: Container, containerID: String,
                           podIP: String?, gracePeriod: Duration) async -> PreStopOutcome {
        guard gracePeriod > .zero else {
            return PreStopOutcome(failure: nil, completed: false, remainingGracePeriod: Self.minimumGracePeriod)
        }
        let start = ContinuousClock.now
        let outcome = await withTaskGroup(of: PreStopOutcome?.self) { group in
            group.addTask {
                let failure = await run(.preStop, handler, pod: pod, container: container, containerID: containerID, podIP: podIP)
                return Task.isCancelled ? nil : PreStopOutcome(failure: failure, completed: true, remainingGracePeriod: .zero)
            }
            group.addTask {
                try? await Task.sleep(for: gracePeriod)
                return Task.isCancelled ? nil : PreStopOutcome(failure: nil, completed: false, remainingGracePeriod: .zero)
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? PreStopOutcome(failure: nil, completed: false, remainingGracePeriod: .zero)
        }
        let elapsed = ContinuousClock.now - start
        var result = outcome
        result.remainingGracePeriod = max(gracePeriod - elapsed, Self.minimumGracePeriod)
        return result
    }

    private func failure(_ hook: LifecycleHook, _ message: String) -> LifecycleHookFailure {
        LifecycleHookFailure(hook: hook, message: message)
    }

    /// The GET's error, or nil when any response came back.
    private func get(_ action: HTTPGetAction, container: Container, podIP: String?) async -> String? {
        let request: HTTPGetRequest
        do {
            request = try HTTPGetRequest(action: action, container: container, podIP: podIP, purpose: "lifecycle")
        } catch {
            return error.description
        }
        do {
            _ = try await http.get(request, timeout: nil)
            return nil
        } catch {
            return error.description
        }
    }

    /// As upstream's format.Pod: name_namespace(uid).
    static func describe(_ pod: Pod) -> String {
        "\(pod.metadata.name ?? "")_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid ?? ""))"
    }

    /// A command as Go's %v prints a []string: [sh -c exit 3].
    static func goList(_ items: [String]) -> String {
        "[" + items.joined(separator: " ") + "]"
    }

    private static func describe(_ handler: LifecycleHandler) -> String {
        handler.tcpSocket != nil ? "tcpSocket handlers are not supported" : "the handler sets no action"
    }
}
