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
            #expect(try cgroup.processes() == [pid])
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
            let joined = inside.filter { $0.hasPrefix("0::") || $0.contains(":memory:") || $0.contains(":pids:") }
            #expect(joined.count == 3 && joined.allSatisfy { $0.hasSuffix(":/") }, "\(inside)")
            let stopped = try await fixture.runtime.stop(id: "sleeper", gracePeriod: 0.2)
            #expect(stopped.exit?.signal == SIGKILL)
            try await fixture.runtime.remove(id: "sleeper")
            #expect(try manager.podUIDs().isEmpty)
        }
    }
}
