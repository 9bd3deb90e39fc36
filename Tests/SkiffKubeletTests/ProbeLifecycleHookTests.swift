import Foundation
import SkiffAPI
import Testing
@testable import SkiffKubelet

/// httpGet and sleep hooks (exec hooks run in ProbeExecTests, as root).
@Suite struct ProbeLifecycleHookTests {
    let hooks = LifecycleHookRunner(commands: NoCommands())
    let container = Container(name: "app", image: "busybox")

    var pod: Pod {
        var pod = Pod()
        pod.metadata.name = "web"
        pod.metadata.namespace = "shop"
        pod.metadata.uid = "uid-1"
        return pod
    }

    func httpHook(port: Int, path: String = "/hook") -> LifecycleHandler {
        var handler = LifecycleHandler()
        handler.httpGet = HTTPGetAction(path: path, port: .int(Int32(port)))
        return handler
    }

    @Test func httpHookCountsAnyResponseAsSuccess() async throws {
        // Upstream checks no status code for hooks, only that the GET got an answer.
        let server = try TestHTTPServer { _ in .status(500) }
        defer { server.stop() }
        let failure = await hooks.run(
            .postStart, httpHook(port: server.port), pod: pod, container: container, containerID: "c1", podIP: "127.0.0.1")
        #expect(failure == nil)
        let request = try #require(server.requests.first)
        #expect(request.target == "/hook")
        #expect(request.header("User-Agent") == "kube-lifecycle/1.32")
    }

    @Test func httpHookThatCannotConnectFails() async throws {
        let port = try TestHTTPServer.closedPort()
        let failure = await hooks.run(
            .preStop, httpHook(port: port), pod: pod, container: container, containerID: "c1", podIP: "127.0.0.1")
        #expect(failure == LifecycleHookFailure(
            hook: .preStop,
            message: "HTTP lifecycle hook (/hook) for Container \"app\" in Pod \"web_shop(uid-1)\" failed - error: "
                + "Get \"http://127.0.0.1:\(port)/hook\": dial tcp 127.0.0.1:\(port): connect: connection refused"))
        #expect(failure?.hook.failedEventReason == "FailedPreStopHook")
        #expect(failure?.hook.failedEventMessage == "PreStopHook failed")
    }

    @Test func sleepHookCompletesWithinTheGracePeriod() async {
        var handler = LifecycleHandler()
        handler.sleep = SleepAction()
        handler.sleep?.seconds = 0
        let outcome = await hooks.runPreStop(
            handler, pod: pod, container: container, containerID: "c1", podIP: nil, gracePeriod: .seconds(600))
        #expect(outcome.completed)
        #expect(outcome.failure == nil)
        // Most of the grace period is left for the container (bounds far apart: a loaded machine stalls tasks).
        #expect(outcome.remainingGracePeriod > .seconds(300) && outcome.remainingGracePeriod <= .seconds(600))
    }

    @Test func preStopIsCutOffAtTheGracePeriod() async {
        var handler = LifecycleHandler()
        handler.sleep = SleepAction()
        handler.sleep?.seconds = 600
        let outcome = await hooks.runPreStop(
            handler, pod: pod, container: container, containerID: "c1", podIP: nil, gracePeriod: .milliseconds(300))
        #expect(outcome.completed == false)
        #expect(outcome.remainingGracePeriod == LifecycleHookRunner.minimumGracePeriod)
    }

    @Test func cancelledSleepHookFailsAsUpstream() async {
        var handler = LifecycleHandler()
        handler.sleep = SleepAction()
        handler.sleep?.seconds = 600
        let task = Task { [hooks, pod, container, handler] in
            await hooks.run(.preStop, handler, pod: pod, container: container, containerID: "c1", podIP: nil)
        }
        task.cancel()
        #expect(await task.value?.message
            == "Sleep lifecycle hook (600) for Container \"app\" in Pod \"web_shop(uid-1)\" failed - error: "
            + "container terminated before sleep hook finished")
    }

    @Test func tcpSocketHandlersAreNotRun() async {
        var handler = LifecycleHandler()
        handler.tcpSocket = TCPSocketAction()
        let failure = await hooks.run(.postStart, handler, pod: pod, container: container, containerID: "c1", podIP: nil)
        #expect(failure?.message.hasPrefix("Cannot run handler: invalid handler: ") == true)
    }
}
