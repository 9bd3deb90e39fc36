import Foundation
import SkiffAPI
import SkiffClient
import SkiffRuntime

extension PodWorker {
    /// A pod being deleted: its containers are stopped within the grace period
    /// (SIGTERM, then SIGKILL), then its containers, sandbox, volumes and logs are
    /// removed, and the pod is deleted from the API for good. Returns false when
    /// something could not be undone yet, so the worker tries again.
    func terminate(deletedFromAPI: Bool) async -> Bool {
        let grace = deletedFromAPI ? 0 : Double(gracePeriodSeconds)
        await tellProbes(await instances(), podIP: pod.status.podIP)
        await stopContainers(gracePeriod: grace)
        for record in await instances().all {
            try? await services.runtime.remove(id: record.id)
        }
        do {
            try await services.sandboxes.remove(id: uid)
            try services.volumes.tearDown(podUID: uid)
        } catch {
            services.logger.warning("pod cleanup failed; retrying", metadata: ["pod": "\(podDescription)", "error": "\(error)"])
            soon(1)
            return false
        }
        try? FileManager.default.removeItem(atPath: podLogDirectory)
        try? FileManager.default.removeItem(atPath: "\(services.configuration.podsDirectory)/\(uid)")
        if deletedFromAPI { return true }
        var options = DeleteOptions()
        options.gracePeriodSeconds = 0
        var preconditions = Preconditions()
        preconditions.uid = uid
        options.preconditions = preconditions
        do {
            try await services.client.delete(Pod.self, pod.metadata.name ?? "", namespace: pod.metadata.namespace, options: options)
        } catch {
            // Gone already, or a new pod took the name (the uid precondition failed): this one is done.
            guard error.reason == .notFound || error.reason == .conflict else {
                services.logger.warning("pod deletion failed; retrying", metadata: ["pod": "\(podDescription)", "error": "\(error)"])
                soon(1)
                return false
            }
        }
        return true
    }

    /// A pod that reached Succeeded or Failed keeps its status and its ended
    /// containers (for logs), but nothing runs and its address is given back.
    func stopTerminalPod() async {
        await stopContainers(gracePeriod: Double(gracePeriodSeconds))
        if services.sandboxes.sandbox(id: uid) != nil {
            do { try await services.sandboxes.remove(id: uid) } catch { soon(1) }
        }
    }

    /// What the API server set at deletion, else the pod's own grace period (30 s by default).
    var gracePeriodSeconds: Int64 {
        pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30
    }

    /// `/var/log/pods/<namespace>_<name>_<uid>`.
    var podLogDirectory: String {
        "\(services.configuration.podLogDirectory)/\(pod.metadata.namespace ?? "default")_\(pod.metadata.name ?? "")_\(uid)"
    }

    /// Stops every running container at once: its preStop hook first, then
    /// SIGTERM and SIGKILL within what is left of the grace period.
    func stopContainers(gracePeriod: Double) async {
        let running = await instances().running
        guard !running.isEmpty else { return }
        let runtime = services.runtime, hooks = services.hooks, pod = self.pod
        let podIP = pod.status.podIP
        let specs = (pod.spec.initContainers ?? []) + pod.spec.containers
        for record in running {
            let name = record.config.labels[ContainerInstances.containerNameLabel] ?? record.id
            event(.normal, "Killing", "Stopping container \(name)", container: name)
        }
        let failures = await withTaskGroup(of: (String, LifecycleHookFailure)?.self) { group in
            for record in running {
                let name = record.config.labels[ContainerInstances.containerNameLabel] ?? record.id
                let spec = specs.first { $0.name == name }
                group.addTask {
                    var remaining = gracePeriod
                    var failure: LifecycleHookFailure?
                    if let spec, let handler = spec.lifecycle?.preStop, gracePeriod > 0 {
                        let outcome = await hooks.runPreStop(
                            handler, pod: pod, container: spec, containerID: record.id, podIP: podIP,
                            gracePeriod: .milliseconds(Int64(gracePeriod * 1000)))
                        remaining = CrashLoopBackOff.seconds(outcome.remainingGracePeriod)
                        failure = outcome.failure
                    }
                    _ = try? await runtime.stop(id: record.id, gracePeriod: remaining)
                    return failure.map { (name, $0) }
                }
            }
            var failures: [(String, LifecycleHookFailure)] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        for (name, failure) in failures {
            services.logger.warning("preStop hook failed", metadata: ["pod": "\(podDescription)", "error": "\(failure.message)"])
            event(.warning, failure.hook.failedEventReason, failure.hook.failedEventMessage, container: name)
        }
    }
}
