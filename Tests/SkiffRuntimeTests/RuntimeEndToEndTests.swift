import Foundation
import Testing
@testable import SkiffRuntime

/// The runtime as the issue asks a user to see it: the test image from a real local
/// registry, pulled into the store, run with cgroups and the default restrictions.
@Suite(.enabled(if: isRoot, "needs root: a registry on loopback, real containers and cgroups"), .serialized)
struct RuntimeEndToEndTests {
    let registry: LocalRegistry
    let fixture: RuntimeFixture
    let cgroups: CgroupManager
    let image: Image

    init() async throws {
        registry = try await LocalRegistry()
        cgroups = try CgroupManager(parent: "skiff-test-" + UUID().uuidString.prefix(8).lowercased())
        fixture = try RuntimeFixture(cgroups: cgroups)
        let store = try ImageStore(root: fixture.directory + "/images")
        image = try await store.pull(registry.reference(), insecureRegistries: [registry.authority])
    }

    func config(_ command: [String], change: (inout ContainerConfig) -> Void = { _ in }) throws -> ContainerConfig {
        let process = try ImageProcess(image: image, command: command)
        var config = ContainerConfig(
            command: process.command, environment: process.environment, hostname: "probe",
            rootfs: .layers(image.layerDirectories), noNewPrivileges: true, cgroupGroup: "pod-e2e")
        change(&config)
        return config
    }

    func finish() async {
        if let parent = try? cgroups.open(cgroups.parent) {
            try? await parent.kill()
            try? parent.remove()
        }
    }

    @Test func thePulledImageRunsRestrictedAndLimited() async throws {
        do { try await probeOOMAndPids() } catch {
            await finish()
            throw error
        }
        await finish()
    }

    func probeOOMAndPids() async throws {
        let probe = """
            echo pid=$$ host=$(hostname)
            grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status | tr -d '\\t'
            mount -t tmpfs none /tmp 2>/dev/null && echo mount=allowed || echo mount=denied
            unshare -n true 2>/dev/null && echo unshare=allowed || echo unshare=denied
            """
        let result = try await fixture.run("probe", config(["sh", "-c", probe]))
        #expect(result.log.map(logContent) == ["pid=1 host=probe", "NoNewPrivs:1", "Seccomp:2", "mount=denied", "unshare=denied"])

        let hog = try config(["sh", "-c", "x=a; while true; do x=$x$x; done"]) {
            $0.resources = ContainerResources(memoryLimitBytes: 16 << 20)
        }
        let oom = try await fixture.run("hog", hog)
        #expect(oom.exit.reason == "OOMKilled")

        // A fork bomb in miniature: the shell gives up when pids.max refuses a fork.
        let forks = try config(["sh", "-c", "i=0; while [ $i -lt 50 ]; do sleep 30 & i=$((i+1)); echo started $i; done"]) {
            $0.resources = ContainerResources(pidsLimit: 6)
        }
        let bounded = try await fixture.run("forks", forks)
        let started = bounded.log.map(logContent).filter { $0.hasPrefix("started") }
        #expect(started.count == 5, "the shell and five sleeps fill pids.max 6: \(started)")
        #expect(bounded.log.contains { $0.contains(" stderr ") && $0.contains("can't fork") })
    }
}
