import Foundation
import SkiffAPI
import SkiffClient
@testable import SkiffKubelet
@testable import SkiffRuntime
import Testing

/// The kubelet end to end against a real API server: pods bound to its node run
/// as real containers in a real pod network, and their status is what `kubectl`
/// shows.
@Suite(.enabled(if: isRoot, "\(needsRoot)"), .serialized)
struct KubeletPodTests {
    @Test func registersItsNodeAndRenewsItsLease() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                #expect(try await eventually {
                    let lease = try? await server.client.get(Lease.self, "kt-node", namespace: "kube-node-lease")
                    return lease?.spec.renewTime != nil
                })
                let node = try await server.client.get(Node.self, "kt-node")
                #expect(node.metadata.labels?["kubernetes.io/hostname"] == "kt-node")
                #expect(node.metadata.labels?["kubernetes.io/os"] == "linux")
                #expect(node.spec.podCIDR == KubeletHarness.podCIDR)
                #expect(node.status.capacity?["pods"] == Quantity(110))
                #expect(node.status.addresses?.first { $0.type == "InternalIP" }?.address == "127.0.0.1")
                #expect(try await eventually {
                    let node = try await server.client.get(Node.self, "kt-node")
                    return node.status.conditions?.first { $0.type == "Ready" }?.status == "True"
                })
                let images = try await server.client.get(Node.self, "kt-node").status.images ?? []
                #expect(images.contains { $0.names.contains("docker.io/library/busybox:latest") })
            }
        }
    }

    @Test func runsAPodReportsItRunningAndDeletesItWithinItsGracePeriod() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                let created = try await server.client.create(
                    KubeletHarness.pod("web", command: ["sh", "-c", "echo hello from web; exec sleep 1000"]))
                #expect(try await eventually {
                    let pod = try await server.client.get(Pod.self, "web", namespace: "default")
                    return pod.status.phase == "Running" && pod.status.conditions?.first { $0.type == "Ready" }?.status == "True"
                })
                let pod = try await server.client.get(Pod.self, "web", namespace: "default")
                let status = try #require(pod.status.containerStatuses?.first)
                #expect(status.ready)
                #expect(status.restartCount == 0)
                #expect(status.state.running != nil)
                #expect(status.containerID?.hasPrefix("skiff://") == true)
                #expect(status.imageID.hasPrefix("sha256:"))
                #expect(pod.status.podIP?.hasPrefix("10.244.7.") == true)
                #expect(pod.status.hostIP == "127.0.0.1")
                let log = "\(harness.configuration.podLogDirectory)/default_web_\(created.metadata.uid!)/main/0.log"
                #expect(try await eventually {
                    ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("hello from web")
                })

                try await server.client.delete(Pod.self, "web", namespace: "default")
                #expect(try await eventually {
                    (try? await server.client.get(Pod.self, "web", namespace: "default")) == nil
                })
                #expect(await harness.runtime.list().isEmpty)
                #expect(!FileManager.default.fileExists(atPath: log))
            }
        }
    }

    @Test func restartsACrashingContainerWithBackOff() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                _ = try await server.client.create(KubeletHarness.pod("crash", command: ["sh", "-c", "exit 3"]))
                #expect(try await eventually {
                    let pod = try await server.client.get(Pod.self, "crash", namespace: "default")
                    guard let status = pod.status.containerStatuses?.first else { return false }
                    return status.restartCount >= 2 && status.state.waiting?.reason == "CrashLoopBackOff"
                })
                let pod = try await server.client.get(Pod.self, "crash", namespace: "default")
                let status = try #require(pod.status.containerStatuses?.first)
                #expect(status.lastState.terminated?.exitCode == 3)
                #expect(status.lastState.terminated?.reason == "Error")
                #expect(status.state.waiting?.message?.contains("restarting failed container=main") == true)
                #expect(pod.status.phase == "Running")
                let events = try await server.client.list(Event.self, namespace: "default").items
                #expect(events.contains { $0.reason == "BackOff" && $0.involvedObject.name == "crash" })
            }
        }
    }

    @Test func aPodThatEndsSucceedsAndGivesBackItsAddress() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                var pod = KubeletHarness.pod("once", command: ["sh", "-c", "echo done"]) { $0.spec.restartPolicy = "Never" }
                pod = try await server.client.create(pod)
                #expect(try await eventually {
                    try await server.client.get(Pod.self, "once", namespace: "default").status.phase == "Succeeded"
                })
                let done = try await server.client.get(Pod.self, "once", namespace: "default")
                #expect(done.status.containerStatuses?.first?.state.terminated?.reason == "Completed")
                #expect(try await eventually { PodSandboxesProbe(harness).list().isEmpty })
            }
        }
    }

    @Test func runsInitContainersFirstAndReportsStartErrors() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                var pod = KubeletHarness.pod("init", command: ["sh", "-c", "cat /work/ready; exec sleep 1000"]) { pod in
                    var volume = Volume()
                    volume.name = "work"
                    volume.emptyDir = EmptyDirVolumeSource()
                    pod.spec.volumes = [volume]
                    var mount = VolumeMount()
                    mount.name = "work"
                    mount.mountPath = "/work"
                    var first = pod.spec.containers[0]
                    first.name = "prepare"
                    first.command = ["sh", "-c", "echo prepared > /work/ready"]
                    first.volumeMounts = [mount]
                    pod.spec.initContainers = [first]
                    pod.spec.containers[0].volumeMounts = [mount]
                }
                pod = try await server.client.create(pod)
                #expect(try await eventually {
                    try await server.client.get(Pod.self, "init", namespace: "default").status.phase == "Running"
                })
                let running = try await server.client.get(Pod.self, "init", namespace: "default")
                #expect(running.status.initContainerStatuses?.first?.state.terminated?.exitCode == 0)
                #expect(running.status.conditions?.first { $0.type == "Initialized" }?.status == "True")

                _ = try await server.client.create(KubeletHarness.pod("missing", command: ["/no/such/program"]))
                #expect(try await eventually {
                    let pod = try await server.client.get(Pod.self, "missing", namespace: "default")
                    let status = pod.status.containerStatuses?.first
                    return status?.lastState.terminated?.reason == "StartError" || status?.state.terminated?.reason == "StartError"
                })
            }
        }
    }

    @Test func waitsForAMissingConfigMapThenStarts() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                let pod = KubeletHarness.pod("config", command: ["sh", "-c", "echo $GREETING; exec sleep 1000"]) { pod in
                    var variable = EnvVar()
                    variable.name = "GREETING"
                    var source = EnvVarSource()
                    var key = ConfigMapKeySelector()
                    key.name = "settings"
                    key.key = "greeting"
                    source.configMapKeyRef = key
                    variable.valueFrom = source
                    pod.spec.containers[0].env = [variable]
                }
                _ = try await server.client.create(pod)
                #expect(try await eventually {
                    let pod = try await server.client.get(Pod.self, "config", namespace: "default")
                    return pod.status.containerStatuses?.first?.state.waiting?.reason == "CreateContainerConfigError"
                })
                var map = ConfigMap()
                map.metadata.name = "settings"
                map.metadata.namespace = "default"
                map.data = ["greeting": "hi"]
                _ = try await server.client.create(map)
                #expect(try await eventually {
                    try await server.client.get(Pod.self, "config", namespace: "default").status.phase == "Running"
                })
            }
        }
    }

    @Test func aRestartedKubeletKeepsRunningContainersAndCleansUpDeletedPods() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                _ = try await server.client.create(KubeletHarness.pod("stays", command: ["sleep", "1000"]))
                _ = try await server.client.create(KubeletHarness.pod("goes", command: ["sleep", "1000"]))
                #expect(try await eventually {
                    let pods = try await server.client.list(Pod.self, namespace: "default").items
                    return pods.count == 2 && pods.allSatisfy { $0.status.phase == "Running" }
                })
            }
            let before = try await server.client.get(Pod.self, "stays", namespace: "default")
            // While no kubelet runs, "goes" is removed from the API for good.
            var options = DeleteOptions()
            options.gracePeriodSeconds = 0
            try await server.client.delete(Pod.self, "goes", namespace: "default", options: options)
            try await harness.withKubelet(server) {
                #expect(try await eventually { await harness.runtime.list().count == 1 })
                let after = try await server.client.get(Pod.self, "stays", namespace: "default")
                #expect(after.status.containerStatuses?.first?.restartCount == 0)
                #expect(after.status.containerStatuses?.first?.containerID == before.status.containerStatuses?.first?.containerID)
                #expect(after.status.containerStatuses?.first?.state.running != nil)
                #expect(try await eventually { PodSandboxesProbe(harness).list().count == 1 })
            }
        }
    }
}

/// The harness's sandboxes, as the kubelet keeps them on disk.
struct PodSandboxesProbe {
    let sandboxes: PodSandboxes
    init(_ harness: KubeletHarness) {
        sandboxes = PodSandboxes(
            network: DefaultNetwork.conflist(podCIDR: KubeletHarness.podCIDR),
            runDirectory: harness.configuration.sandboxRunDirectory,
            stateDirectory: harness.configuration.sandboxStateDirectory)
    }
    func list() -> [PodSandbox] { sandboxes.list() }
}
