import Foundation
import SkiffAPI
import SkiffClient
@testable import SkiffKubelet
import Testing

/// Probes, lifecycle hooks and volumes as the kubelet runs them for real pods.
@Suite(.enabled(if: isRoot, "\(needsRoot)"), .serialized)
struct KubeletProbeAndVolumeTests {
    static func exec(_ command: String...) -> ExecAction {
        var action = ExecAction()
        action.command = command
        return action
    }

    static func probe(_ command: String..., failureThreshold: Int32 = 1) -> Probe {
        var probe = Probe()
        probe.exec = ExecAction()
        probe.exec?.command = command
        probe.periodSeconds = 1
        probe.failureThreshold = failureThreshold
        return probe
    }

    static func pod(_ name: String, server: TestAPIServer) async throws -> Pod {
        try await server.client.get(Pod.self, name, namespace: "default")
    }

    @Test func aFailingLivenessProbeRestartsTheContainer() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                let pod = KubeletHarness.pod("sick", command: ["sleep", "1000"]) {
                    $0.spec.containers[0].livenessProbe = Self.probe("cat", "/tmp/healthy")
                }
                _ = try await server.client.create(pod)
                #expect(try await eventually {
                    (try await Self.pod("sick", server: server).status.containerStatuses?.first?.restartCount ?? 0) >= 1
                })
                let events = try await server.client.list(Event.self, namespace: "default").items
                #expect(events.contains { $0.reason == "Unhealthy" && $0.message?.hasPrefix("Liveness probe failed") == true })
                #expect(events.contains { $0.reason == "Killing" && $0.message?.contains("failed liveness probe") == true })
            }
        }
    }

    @Test func readinessProbesDecideReadiness() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                _ = try await server.client.create(
                    KubeletHarness.pod("unready", command: ["sleep", "1000"]) {
                        $0.spec.containers[0].readinessProbe = Self.probe("false")
                    })
                _ = try await server.client.create(
                    KubeletHarness.pod("ready", command: ["sleep", "1000"]) {
                        $0.spec.containers[0].readinessProbe = Self.probe("true")
                    })
                #expect(try await eventually {
                    try await Self.pod("ready", server: server).status.conditions?.first { $0.type == "Ready" }?.status == "True"
                })
                let unready = try await Self.pod("unready", server: server)
                #expect(unready.status.phase == "Running")
                #expect(unready.status.containerStatuses?.first?.ready == false)
                #expect(unready.status.conditions?.first { $0.type == "Ready" }?.status == "False")
            }
        }
    }

    @Test func hooksRunAfterStartAndBeforeStop() async throws {
        try await KubeletHarness.with { harness, server in
            let marks = harness.directory + "/marks"
            try await harness.withKubelet(server) {
                let pod = KubeletHarness.pod("hooked", command: ["sleep", "1000"]) { pod in
                    var volume = Volume()
                    volume.name = "marks"
                    volume.hostPath = HostPathVolumeSource()
                    volume.hostPath?.path = marks
                    volume.hostPath?.type = "DirectoryOrCreate"
                    pod.spec.volumes = [volume]
                    var mount = VolumeMount()
                    mount.name = "marks"
                    mount.mountPath = "/marks"
                    pod.spec.containers[0].volumeMounts = [mount]
                    var lifecycle = Lifecycle()
                    lifecycle.postStart = LifecycleHandler()
                    lifecycle.postStart?.exec = Self.exec("sh", "-c", "echo started > /marks/post-start")
                    lifecycle.preStop = LifecycleHandler()
                    lifecycle.preStop?.exec = Self.exec("sh", "-c", "echo stopping > /marks/pre-stop")
                    pod.spec.containers[0].lifecycle = lifecycle
                }
                _ = try await server.client.create(pod)
                #expect(try await eventually { FileManager.default.fileExists(atPath: marks + "/post-start") })
                try await server.client.delete(Pod.self, "hooked", namespace: "default")
                #expect(try await eventually { (try? await Self.pod("hooked", server: server)) == nil })
                #expect(FileManager.default.fileExists(atPath: marks + "/pre-stop"))
            }
        }
    }

    @Test func configMapVolumesAreReadOnlyAndFollowUpdates() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                var map = ConfigMap()
                map.metadata.name = "settings"
                map.metadata.namespace = "default"
                map.data = ["color": "blue"]
                _ = try await server.client.create(map)
                let pod = KubeletHarness.pod(
                    "configured",
                    command: ["sh", "-c", "touch /config/new 2>/dev/null && echo writable || echo read-only; exec sleep 1000"]
                ) { pod in
                    var volume = Volume()
                    volume.name = "config"
                    volume.configMap = ConfigMapVolumeSource()
                    volume.configMap?.name = "settings"
                    pod.spec.volumes = [volume]
                    var mount = VolumeMount()
                    mount.name = "config"
                    mount.mountPath = "/config"
                    pod.spec.containers[0].volumeMounts = [mount]
                }
                let created = try await server.client.create(pod)
                let uid = created.metadata.uid!
                let log = "\(harness.configuration.podLogDirectory)/default_configured_\(uid)/main/0.log"
                #expect(try await eventually { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("read-only") })
                let file = "\(harness.configuration.podsDirectory)/\(uid)/volumes/kubernetes.io~configmap/config/color"
                #expect((try? String(contentsOfFile: file, encoding: .utf8)) == "blue")
                map = try await server.client.get(ConfigMap.self, "settings", namespace: "default")
                map.data = ["color": "green"]
                _ = try await server.client.update(map)
                #expect(try await eventually { (try? String(contentsOfFile: file, encoding: .utf8)) == "green" })
            }
        }
    }
}
