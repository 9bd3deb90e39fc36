import Foundation
import SkiffAPI
import SkiffRuntime

extension PodWorker {
    /// Starts one attempt of a container: its image (by pull policy, with
    /// back-off after failed pulls), its config, then create and start in the
    /// runtime, with the events upstream's kubelet sends at each step. A failure
    /// leaves the container waiting with the reason `kubectl get pods` shows.
    func start(_ container: Container, attempt: Int, _ context: StartContext, _ observations: inout PodObservations) async {
        guard let image = await image(for: container, &observations) else { return }
        var config: ContainerConfig
        let messageFile = terminationMessageFile(container.name, attempt: attempt)
        do {
            try FileManager.default.createDirectory(
                atPath: (messageFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: messageFile, contents: nil)   // a failure shows at the bind mount
            config = try await PodContainerConfig(
                pod: pod, container: container, image: image, restartCount: attempt, sandbox: context.sandbox.containerPaths,
                volumes: context.volumes, terminationMessageFile: messageFile,
                logDirectory: services.configuration.podLogDirectory, nodeAllocatable: services.nodeAllocatable,
                configSource: services.configSource
            ).build()
        } catch {
            let failure = error as? ContainerConfigError
            let reason = failure?.reason ?? ContainerConfigError.configReason
            let message = failure?.message ?? "\(error)"
            observations.waiting[container.name] = .init(reason: reason, message: message)
            event(.warning, "Failed", "Error: \(message)", container: container.name)
            soon(2)
            return
        }
        config.labels[PodContainerLabels.imageID] = image.id.description
        config.labels[PodContainerLabels.terminationMessageFile] = messageFile
        let id = ContainerInstances.id(podUID: uid, container: container.name, attempt: attempt)
        do {
            _ = try await services.runtime.create(id: id, config: config)
        } catch {
            observations.waiting[container.name] = .init(reason: "CreateContainerError", message: "\(error)")
            event(.warning, "Failed", "Error: \(error)", container: container.name)
            soon(2)
            return
        }
        event(.normal, "Created", "Created container \(container.name)", container: container.name)
        do {
            _ = try await services.runtime.start(id: id)
        } catch {
            let message = "failed to start container \"\(container.name)\": \(error)"
            startFailures[id] = message
            event(.warning, "Failed", "Error: \(message)", container: container.name)
            soon(0.05)
            return
        }
        observations.waiting[container.name] = nil
        event(.normal, "Started", "Started container \(container.name)", container: container.name)
        if let handler = container.lifecycle?.postStart {
            await runPostStart(handler, container: container, id: id, podIP: context.sandbox.podIPs.first)
        }
    }

    /// Runs the postStart hook; when it fails, the container is killed (and
    /// restarted as its policy says), as upstream does.
    private func runPostStart(_ handler: LifecycleHandler, container: Container, id: String, podIP: String?) async {
        guard let failure = await services.hooks.run(.postStart, handler, pod: pod, container: container, containerID: id, podIP: podIP)
        else { return }
        services.logger.warning("postStart hook failed", metadata: ["pod": "\(podDescription)", "error": "\(failure.message)"])
        event(.warning, failure.hook.failedEventReason, failure.hook.failedEventMessage, container: container.name)
        _ = try? await services.runtime.stop(id: id, gracePeriod: Double(gracePeriodSeconds))
    }

    /// `<pods>/<uid>/containers/<name>/<attempt>/termination-log`, as upstream lays it out.
    func terminationMessageFile(_ container: String, attempt: Int) -> String {
        "\(services.configuration.podsDirectory)/\(uid)/containers/\(container)/\(attempt)/termination-log"
    }

    private func image(for container: Container, _ observations: inout PodObservations) async -> Image? {
        let name = container.image ?? ""
        let key = "\(container.name)/\(name)"
        if let failedAt = pullFailures[key], pullBackOff.remaining(key, since: failedAt) != nil {
            observations.waiting[container.name] = .init(reason: "ImagePullBackOff", message: "Back-off pulling image \"\(name)\"")
            event(.normal, "BackOff", "Back-off pulling image \"\(name)\"", container: container.name)
            if let wait = pullBackOff.remaining(key, since: failedAt) { soon(wait.remaining) }
            return nil
        }
        let credentials = await pullCredentials()
        let worker = self
        do {
            let outcome = try await services.images.image(for: container, credentials: credentials) { image in
                Task { await worker.event(.normal, "Pulling", "Pulling image \"\(image)\"", container: container.name) }
            }
            pullFailures[key] = nil
            pullBackOff.forget(key)
            switch outcome {
            case .present(let image):
                event(.normal, "Pulled", "Container image \"\(name)\" already present on machine", container: container.name)
                return image
            case .pulled(let image, let seconds):
                let took = String(format: "%.3fs", seconds)
                event(
                    .normal, "Pulled",
                    "Successfully pulled image \"\(name)\" in \(took) (\(took) including waiting). Image size: \(image.size) bytes.",
                    container: container.name)
                return image
            }
        } catch {
            observations.waiting[container.name] = .init(reason: error.reason, message: error.message)
            event(.warning, "Failed", error.message, container: container.name)
            event(.warning, "Failed", "Error: \(error.reason)", container: container.name)
            let now = Date()
            pullFailures[key] = now
            pullBackOff.recordFailure(key, at: now)
            if let wait = pullBackOff.remaining(key, since: now) { soon(wait.remaining) }
            return nil
        }
    }

    /// Registry credentials from the pod's imagePullSecrets that exist.
    private func pullCredentials() async -> [String: RegistryCredentials] {
        var secrets: [Secret] = []
        for reference in pod.spec.imagePullSecrets ?? [] {
            guard let name = reference.name, !name.isEmpty,
                let secret = try? await services.configSource.secret(namespace: pod.metadata.namespace ?? "default", name: name)
            else { continue }
            secrets.append(secret)
        }
        return PullSecretCredentials.parse(secrets)
    }
}
