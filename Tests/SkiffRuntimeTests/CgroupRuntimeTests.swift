import Foundation
import Testing

@testable import SkiffRuntime

/// Real containers through skiff-shim with `CgroupManager` as the runtime's driver, under
/// a parent unique to each test.
@Suite(.enabled(if: isRoot, "\(needsRoot)"), .serialized)
struct CgroupRuntimeTests {
    func withManager(_ body: (CgroupManager) async throws -> Void) async throws {
        let manager = try CgroupManager(parent: "skiff-test-" + UUID().uuidString.prefix(8).lowercased())
        do {
            try await body(manager)
        } catch {
            await Self.cleanUp(manager)
            throw error
        }
        await Self.cleanUp(manager)
        for hierarchy in manager.layout.hierarchies {
            #expect(!FileManager.default.fileExists(atPath: hierarchy.baseDirectory + "/" + manager.parent))
        }
    }

    static func cleanUp(_ manager: CgroupManager) async {
        if let parent = try? manager.open(manager.parent) {
            try? await parent.kill()
            try? parent.remove()
        }
    }

    @Test func aContainerOverItsMemoryLimitEndsOOMKilled() async throws {
        try await withManager { manager in
            let fixture = try RuntimeFixture(cgroups: manager)
            // Doubling a string 26 times reaches 64 MiB: bounded even if the limit failed.
            let config = fixture.config(["sh", "-c", "x=a; i=0; while [ $i -lt 26 ]; do x=$x$x; i=$((i+1)); done"]) {
                $0.resources = ContainerResources(memoryLimitBytes: 16 << 20)
                $0.cgroupGroup = "pod-u1"
            }
            let result = try await fixture.run("hog", config)
            #expect(result.exit.oomKilled)
            #expect(result.exit.reason == "OOMKilled")
            #expect(throws: CgroupError.self) { try manager.openPod(uid: "u1") }
        }
    }

    @Test func theContainerReadsItsOwnLimitsAtSysFsCgroup() async throws {
        try await withManager { manager in
            let fixture = try RuntimeFixture(cgroups: manager)
            // memory.max on cgroup v2, memory.limit_in_bytes on a v1 memory hierarchy.
            let script = "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; mkdir /sys/fs/cgroup/x 2>/dev/null || echo read-only"
            let config = fixture.config(["sh", "-c", script]) {
                $0.resources = ContainerResources(memoryLimitBytes: 48 << 20)
                $0.cgroupGroup = "pod-u2"
            }
            let output = try await fixture.run("limits", config).log.map(logContent)
            #expect(output == [String(48 << 20), "read-only"])
        }
    }

    @Test func theContainersProcessesSitInItsCgroupInEveryHierarchy() async throws {
        try await withManager { manager in
            let fixture = try RuntimeFixture(cgroups: manager)
            let config = fixture.config(["sh", "-c", "cat /proc/self/cgroup; exec sleep 100"]) {
                $0.resources = ContainerResources(cpuLimitMillis: 500, memoryLimitBytes: 32 << 20, pidsLimit: 16)
                $0.cgroupGroup = "pod-u1"
            }
            _ = try await fixture.runtime.create(id: "sleeper", config: config)
            let record = try await fixture.runtime.start(id: "sleeper")
            let pid = try #require(record.pid)
            let cgroup = try manager.openContainer(id: "sleeper", inPod: "u1")
            let lines = try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8).split(separator: "\n")
            for line in lines where line.hasPrefix("0::") || line.contains(":memory:") || line.contains(":pids:") {
                #expect(line.hasSuffix("/" + cgroup.path), "\(line)")
            }
            // Inside, the cgroup namespace is rooted at the container's own cgroups.
            var inside: [String] = []
            for _ in 0..<100 where inside.isEmpty {
                inside = CRILogReader.read(record.logPath).map { String($0.content) }
                try await Task.sleep(for: .milliseconds(20))
            }
            // Once `cat` has written and gone, only the sleep (exec'd as init) is left.
            var processes = try cgroup.processes()
            for _ in 0..<100 where processes != [pid] {
                try await Task.sleep(for: .milliseconds(20))
                processes = try cgroup.processes()
            }
            #expect(processes == [pid])
            let joined = inside.filter { $0.hasPrefix("0::") || $0.contains(":memory:") || $0.contains(":pids:") }
            #expect(joined.count == 3 && joined.allSatisfy { $0.hasSuffix(":/") }, "\(inside)")
            let stopped = try await fixture.runtime.stop(id: "sleeper", gracePeriod: 0.2)
            #expect(stopped.exit?.signal == SIGKILL)
            try await fixture.runtime.remove(id: "sleeper")
            #expect(try manager.podUIDs().isEmpty)
        }
    }
}

@Suite(.enabled(if: isRoot, "needs root: real containers and cgroups"), .serialized)
struct RuntimeBadInputTests {
    @Test func impossibleLimitsAreRefusedAndLeaveNothingBehind() async throws {
        let manager = try CgroupManager(parent: "skiff-test-" + UUID().uuidString.prefix(8).lowercased())
        let fixture = try RuntimeFixture(cgroups: manager)
        let config = fixture.config(["true"]) {
            $0.resources = ContainerResources(memoryLimitBytes: 1024)
            $0.cgroupGroup = "pod-bad"
        }
        await #expect(throws: RuntimeError.self) { try await fixture.runtime.create(id: "tiny", config: config) }
        #expect(await fixture.runtime.list().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.directory + "/root/containers/tiny"))
        for hierarchy in manager.layout.hierarchies {
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: hierarchy.baseDirectory + "/" + manager.parent)) ?? []
            #expect(!leftovers.contains { $0.hasPrefix("pod-") }, "\(hierarchy.baseDirectory): \(leftovers)")
        }
        if let parent = try? manager.open(manager.parent) { try? parent.remove() }
    }
}

@Suite(.enabled(if: isRoot, "\(needsRoot)"))
struct MonitorSignalTests {
    @Test func signalsToTheMonitorReachTheContainer() async throws {
        let fixture = try RuntimeFixture()
        let config = fixture.config(["sh", "-c", "trap 'echo terminated; exit 0' TERM; echo ready; while true; do sleep 0.1; done"])
        _ = try await fixture.runtime.create(id: "trapper", config: config)
        let record = try await fixture.runtime.start(id: "trapper")
        for _ in 0..<200 where !CRILogReader.read(record.logPath).contains(where: { $0.content == "ready" }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        kill(try #require(record.shimPID), SIGTERM)
        let exited = await fixture.runtime.waitForExit(id: "trapper", timeout: 10)
        let exit = try #require(exited.exit)
        #expect(exit.exitCode == 0)
        #expect(CRILogReader.read(record.logPath).map(\.content).contains("terminated"))
        let started = try #require(exit.startedAt), finished = try #require(exit.finishedAt)
        #expect(started <= finished)
        try await fixture.runtime.remove(id: "trapper")
    }

    @Test func aContainerOutlivingItsKilledMonitorIsWatchedUntilItEnds() async throws {
        let fixture = try RuntimeFixture()
        _ = try await fixture.runtime.create(id: "orphan", config: fixture.config(["sleep", "100"]))
        let record = try await fixture.runtime.start(id: "orphan")
        let monitor = try #require(record.shimPID), pid = try #require(record.pid)
        kill(monitor, SIGKILL)
        while ProcessIdentity.isAlive(pid: monitor, startTicks: record.shimStartTicks) {
            try await Task.sleep(for: .milliseconds(10))
        }
        // Without its monitor the container still runs, and is reported running.
        #expect(try await fixture.runtime.status(id: "orphan").state == .running)
        #expect(await fixture.runtime.waitForExit(id: "orphan", timeout: 0.2).state == .running)
        // Ended from the host, it is seen to end though no monitor is left to record how.
        kill(pid, SIGKILL)
        let exited = await fixture.runtime.waitForExit(id: "orphan", timeout: 10)
        #expect(exited.state == .exited)
        #expect(exited.exit?.exitCode == 255)
        try await fixture.runtime.remove(id: "orphan")
    }
}
