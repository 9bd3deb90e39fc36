import Foundation
import SkiffAPI
@testable import SkiffRuntime
import Testing
@testable import SkiffKubelet

/// Exec probes and exec hooks in a real busybox container.
@Suite(.enabled(if: isRoot, "\(needsRoot)"), .serialized)
struct ProbeExecTests {
    /// Runs `body` with a running busybox container, removed afterwards.
    func withContainer(_ body: (BusyboxRuntime, String) async throws -> Void) async throws {
        let fixture = try BusyboxRuntime()
        let id = "probe-\(UUID().uuidString.prefix(8).lowercased())"
        try await fixture.start(id, ["sleep", "3600"])
        do {
            try await body(fixture, id)
        } catch {
            await fixture.removeQuietly(id)
            throw error
        }
        await fixture.removeQuietly(id)
    }

    func execProbe(_ command: [String]) -> Probe {
        var probe = Probe()
        probe.exec = ExecAction(command: command)
        return probe
    }

    @Test func commandRunnerCapturesOutputAndExitCode() async throws {
        try await withContainer { fixture, id in
            let runner = ContainerCommandRunner(runtime: fixture.runtime)
            let ok = try await runner.run(["sh", "-c", "echo out; echo err >&2"], in: id, timeout: .seconds(20))
            #expect(ok == .exited(code: 0, output: "out\nerr\n"))
            let failed = try await runner.run(["sh", "-c", "echo sad; exit 3"], in: id, timeout: .seconds(20))
            #expect(failed == .exited(code: 3, output: "sad\n"))
        }
    }

    @Test func outputIsCutAtTheLimit() async throws {
        try await withContainer { fixture, id in
            let runner = ContainerCommandRunner(runtime: fixture.runtime)
            let outcome = try await runner.run(
                ["sh", "-c", "dd if=/dev/zero bs=1024 count=64 2>/dev/null; echo done >&2"], in: id, timeout: .seconds(20))
            guard case .exited(0, let output) = outcome else {
                Issue.record("unexpected \(outcome)")
                return
            }
            #expect(output.utf8.count == ContainerCommandRunner.defaultOutputLimit)
        }
    }

    @Test func timeoutKillsTheCommand() async throws {
        try await withContainer { fixture, id in
            let runner = ContainerCommandRunner(runtime: fixture.runtime)
            let outcome = try await runner.run(
                ["sh", "-c", "echo $$ > /tmp/pid; echo started; sleep 600"], in: id, timeout: .milliseconds(500))
            #expect(outcome == .timedOut(output: "started\n"))
            // The shell (and the sleep in its process group) is gone.
            let pid = try await runner.run(["cat", "/tmp/pid"], in: id, timeout: .seconds(20))
            guard case .exited(0, let text) = pid else {
                Issue.record("unexpected \(pid)")
                return
            }
            let alive = try await runner.run(
                ["sh", "-c", "kill -0 \(text.trimmingCharacters(in: .whitespacesAndNewlines))"], in: id, timeout: .seconds(20))
            guard case .exited(let code, _) = alive else {
                Issue.record("unexpected \(alive)")
                return
            }
            #expect(code != 0)
        }
    }

    @Test func execProbeResults() async throws {
        try await withContainer { fixture, id in
            let prober = Prober(commands: ContainerCommandRunner(runtime: fixture.runtime))
            let target = ProbeTarget(container: Container(name: "app", image: "busybox"), containerID: id, podIP: nil)
            #expect(await prober.probe(execProbe(["true"]), target: target, timeout: .seconds(20)) == .success)
            #expect(await prober.probe(execProbe(["cat", "/tmp/healthy"]), target: target, timeout: .seconds(20))
                == .failure("cat: can't open '/tmp/healthy': No such file or directory\n"))
            #expect(await prober.probe(execProbe(["sleep", "600"]), target: target, timeout: .milliseconds(500))
                == .failure("command \"sleep 600\" timed out"))
            let missing = await prober.probe(execProbe(["no-such-command"]), target: target, timeout: .seconds(20))
            guard case .unknown = missing else {
                Issue.record("a command that cannot start errors, got \(missing)")
                return
            }
        }
    }

    @Test func execHooks() async throws {
        try await withContainer { fixture, id in
            let hooks = LifecycleHookRunner(commands: ContainerCommandRunner(runtime: fixture.runtime))
            var pod = Pod()
            pod.metadata.name = "web"
            pod.metadata.namespace = "shop"
            pod.metadata.uid = "uid-1"
            let container = Container(name: "app", image: "busybox")
            var handler = LifecycleHandler()
            handler.exec = ExecAction(command: ["sh", "-c", "echo hooked > /tmp/hook"])
            #expect(await hooks.run(.postStart, handler, pod: pod, container: container, containerID: id, podIP: nil) == nil)
            let runner = ContainerCommandRunner(runtime: fixture.runtime)
            let hooked = try await runner.run(["cat", "/tmp/hook"], in: id, timeout: .seconds(20))
            #expect(hooked == .exited(code: 0, output: "hooked\n"))

            handler.exec = ExecAction(command: ["sh", "-c", "echo broken; exit 2"])
            let failure = await hooks.run(.postStart, handler, pod: pod, container: container, containerID: id, podIP: nil)
            #expect(failure == LifecycleHookFailure(
                hook: .postStart,
                message: "Exec lifecycle hook ([sh -c echo broken; exit 2]) for Container \"app\" in Pod \"web_shop(uid-1)\" "
                    + "failed - error: command 'sh -c echo broken; exit 2' exited with 2: broken\n, message: \"broken\\n\""))
            #expect(failure?.hook.failedEventReason == "FailedPostStartHook")

            // A preStop that outlasts the grace period is cut off, and the container
            // still gets upstream's minimum to stop.
            handler.exec = ExecAction(command: ["sleep", "600"])
            let preStop = await hooks.runPreStop(
                handler, pod: pod, container: container, containerID: id, podIP: nil, gracePeriod: .milliseconds(500))
            #expect(preStop.completed == false)
            #expect(preStop.remainingGracePeriod == LifecycleHookRunner.minimumGracePeriod)
        }
    }
}
