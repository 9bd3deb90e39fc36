import Testing

@testable import SkiffRuntime

#if canImport(Glibc)
import Glibc
#endif

/// A cgroup's life on the fake cgroupfs: processes joining, updates, OOM counters,
/// kill and removal.
@Suite struct CgroupLifecycleTests {
    static let mebibyte = 1024 * 1024

    /// A pod and a container on `host`, with pid 4242 joined the way the launcher does it.
    func containerWithProcess(on host: FakeCgroupHost) throws -> (pod: Cgroup, container: Cgroup) {
        let manager = try host.manager()
        let pod = try manager.createPod(uid: "u1", limits: CgroupLimits(memoryLimitBytes: 64 * Self.mebibyte))
        let container = try manager.createContainer(
            id: "c1", in: pod, limits: CgroupLimits(memoryLimitBytes: 32 * Self.mebibyte))
        for file in container.procsFiles {
            try host.write("4242", to: file)
        }
        return (pod, container)
    }

    @Test func processesAreListedFromTheCgroupAndItsChildren() throws {
        let host = try FakeCgroupHost.hybrid(agentPids: [100])
        let (pod, container) = try containerWithProcess(on: host)
        #expect(try container.processes() == [4242])
        #expect(try pod.processes() == [4242])
        #expect(host.contents(of: "/sys/fs/cgroup/memory/process_api/abc/cgroup.procs") == "100\n")
    }

    @Test func removeRefusesWhileProcessesRemainAndKeepsEverything() throws {
        let host = try FakeCgroupHost.hybrid()
        let (pod, _) = try containerWithProcess(on: host)
        #expect { try pod.remove() } throws: { ($0 as? CgroupError)?.code == .processesRemain }
        #expect(host.directories(containing: "pod-u1/c1").count == 6)
    }

    @Test func removeTakesAwayEveryDirectoryLeafFirst() async throws {
        let host = try FakeCgroupHost.hybrid()
        let (pod, container) = try containerWithProcess(on: host)
        try await container.kill()
        try pod.remove()
        #expect(host.directories(containing: "pod-u1").isEmpty)
        #expect(host.directories(containing: "skiff").count == 6)
        try pod.remove()
    }

    @Test func killUsesCgroupKillWhenTheKernelHasIt() async throws {
        let host = try FakeCgroupHost.hybrid(hasKill: true)
        let (_, container) = try containerWithProcess(on: host)
        try await container.kill()
        #expect(host.writes.last == .init(path: "/sys/fs/cgroup/unified/skiff/pod-u1/c1/cgroup.kill", value: "1"))
        #expect(host.signals.isEmpty)
        #expect(try container.processes().isEmpty)
    }

    @Test func withoutCgroupKillTheV1FreezerHoldsTheProcessesWhileTheyAreKilled() async throws {
        let host = try FakeCgroupHost.hybrid(hasKill: false)
        let (_, container) = try containerWithProcess(on: host)
        try await container.kill()
        let state = "/sys/fs/cgroup/freezer/skiff/pod-u1/c1/freezer.state"
        #expect(host.writes.filter { $0.path == state }.map(\.value) == ["FROZEN", "THAWED"])
        #expect(host.signals == [.init(pid: 4242, signal: SIGKILL)])
        #expect(try container.processes().isEmpty)
    }

    @Test func withNeitherCgroupKillNorAFreezerEveryProcessIsKilledInRounds() async throws {
        let host = try FakeCgroupHost.hybrid(hasKill: false, hasFreezer: false)
        let (_, container) = try containerWithProcess(on: host)
        try host.append(4243, toProcsOf: "/sys/fs/cgroup/pids/skiff/pod-u1/c1")
        try await container.kill()
        #expect(host.signals == [.init(pid: 4242, signal: SIGKILL), .init(pid: 4243, signal: SIGKILL)])
        #expect(host.writes.allSatisfy { !$0.path.hasSuffix("freezer.state") })
        #expect(try container.processes().isEmpty)
    }

    @Test func stopSendsSIGTERMFirstAndKillsWhatOutlivesTheGrace() async throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/", agentPids: [])
        let (_, container) = try containerWithProcess(on: host)
        try await container.stop(terminating: 4242, grace: .zero)
        #expect(host.signals == [.init(pid: 4242, signal: SIGTERM)])
        #expect(host.writes.last?.path == "/sys/fs/cgroup/skiff/pod-u1/c1/cgroup.kill")
        #expect(try container.processes().isEmpty)
    }

    @Test func oomKillsAreCountedFromMemoryEventsOnV2() throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/", agentPids: [])
        let (_, container) = try containerWithProcess(on: host)
        #expect(try container.oomKillCount() == 0)
        try host.setContents(
            "low 0\nhigh 0\nmax 7\noom 2\noom_kill 2\noom_group_kill 0\n",
            of: "/sys/fs/cgroup/skiff/pod-u1/c1/memory.events")
        #expect(try container.oomKillCount() == 2)
    }

    @Test func oomKillsAreCountedFromOomControlOnV1() throws {
        let host = try FakeCgroupHost.hybrid()
        let (_, container) = try containerWithProcess(on: host)
        try host.setContents(
            "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n",
            of: "/sys/fs/cgroup/memory/process_api/abc/skiff/pod-u1/c1/memory.oom_control")
        #expect(try container.oomKillCount() == 1)
    }

    @Test func usageIsReadFromCpuacctAndMemoryOnAHybridHost() throws {
        let host = try FakeCgroupHost.hybrid()
        let (_, container) = try containerWithProcess(on: host)
        try host.setContents("123456789\n", of: "/sys/fs/cgroup/cpuacct/skiff/pod-u1/c1/cpuacct.usage")
        try host.setContents(
            "4096\n", of: "/sys/fs/cgroup/memory/process_api/abc/skiff/pod-u1/c1/memory.usage_in_bytes")
        #expect(try container.cpuUsageNanoseconds() == 123_456_789)
        #expect(try container.memoryUsageBytes() == 4096)
    }

    @Test func usageIsReadFromCpuStatAndMemoryCurrentOnV2() throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/", agentPids: [])
        let (_, container) = try containerWithProcess(on: host)
        try host.setContents(
            "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n", of: "/sys/fs/cgroup/skiff/pod-u1/c1/cpu.stat")
        try host.setContents("8192\n", of: "/sys/fs/cgroup/skiff/pod-u1/c1/memory.current")
        #expect(try container.cpuUsageNanoseconds() == 1_500_000)
        #expect(try container.memoryUsageBytes() == 8192)
    }

    @Test func aMemoryLimitBelowUsageIsRefusedAndTheOldLimitStays() throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/", agentPids: [])
        let (_, container) = try containerWithProcess(on: host)
        let directory = "/sys/fs/cgroup/skiff/pod-u1/c1"
        try host.setContents("\(20 * Self.mebibyte)\n", of: directory + "/memory.current")
        #expect { try container.update(limits: CgroupLimits(memoryLimitBytes: 16 * Self.mebibyte)) } throws: {
            ($0 as? CgroupError)?.code == .memoryBelowUsage
        }
        #expect(host.contents(of: directory + "/memory.max") == "\(32 * Self.mebibyte)")
    }

    @Test func raisingAV1LimitWritesMemswFirstAndLoweringItWritesMemoryFirst() throws {
        let host = try FakeCgroupHost.hybrid()
        let (_, container) = try containerWithProcess(on: host)
        let directory = "/sys/fs/cgroup/memory/process_api/abc/skiff/pod-u1/c1"
        let memoryFiles = [directory + "/memory.limit_in_bytes", directory + "/memory.memsw.limit_in_bytes"]
        func memoryWrites(during update: () throws -> Void) rethrows -> [FakeCgroupHost.Write] {
            let before = host.writes.count
            try update()
            return host.writes.dropFirst(before).filter { memoryFiles.contains($0.path) }
        }
        let raised = try memoryWrites {
            try container.update(limits: CgroupLimits(memoryLimitBytes: 48 * Self.mebibyte))
        }
        #expect(raised.map(\.path) == memoryFiles.reversed())
        let lowered = try memoryWrites {
            try container.update(limits: CgroupLimits(memoryLimitBytes: 8 * Self.mebibyte))
        }
        #expect(lowered.map(\.path) == memoryFiles)
        let unlimited = try memoryWrites { try container.update(limits: .unlimited) }
        #expect(unlimited == [.init(path: memoryFiles[1], value: "-1"), .init(path: memoryFiles[0], value: "-1")])
    }
}
