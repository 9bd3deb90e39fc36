import Testing

@testable import SkiffRuntime

/// `CgroupManager` as the runtime's `CgroupDriver`, on the fake cgroupfs.
@Suite struct CgroupDriverTests {
    let resources = ContainerResources(cpuRequestMillis: 250, cpuLimitMillis: 500, memoryLimitBytes: 64 << 20, pidsLimit: 50)

    @Test func createGivesTheShimEveryProcsFileAndTheOOMCounter() throws {
        let host = try FakeCgroupHost.hybrid()
        let attachment = try host.manager().create(group: "pod-u1", container: "c1", resources: resources)
        let memory = host.root + "/sys/fs/cgroup/memory/process_api/abc/skiff/pod-u1/c1"
        #expect(attachment.unifiedDirectory == host.root + "/sys/fs/cgroup/unified/skiff/pod-u1/c1")
        #expect(attachment.procsFiles.count == 6)
        #expect(attachment.procsFiles.contains(memory + "/cgroup.procs"))
        #expect(attachment.oomCounter == memory + "/memory.oom_control")
        #expect(host.contents(of: "/sys/fs/cgroup/pids/skiff/pod-u1/c1/pids.max") == "50")
        // The group is made without limits of its own.
        #expect(host.contents(of: "/sys/fs/cgroup/pids/skiff/pod-u1/pids.max") == "max")
    }

    @Test func onV2TheOOMCounterIsMemoryEvents() throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/", agentPids: [])
        let attachment = try host.manager().create(group: nil, container: "c1", resources: resources)
        #expect(attachment.oomCounter == host.root + "/sys/fs/cgroup/skiff/c1/memory.events")
        #expect(attachment.procsFiles == [host.root + "/sys/fs/cgroup/skiff/c1/cgroup.procs"])
    }

    @Test func theGroupGoesWithItsLastContainer() throws {
        let host = try FakeCgroupHost.hybrid()
        let manager = try host.manager()
        _ = try manager.create(group: "pod-u1", container: "c1", resources: resources)
        _ = try manager.create(group: "pod-u1", container: "c2", resources: resources)
        try manager.remove(group: "pod-u1", container: "c1")
        #expect(host.directories(containing: "/c1").isEmpty)
        #expect(host.directories(containing: "pod-u1/c2").count == 6)
        try manager.remove(group: "pod-u1", container: "c2")
        #expect(host.directories(containing: "pod-u1").isEmpty)
        try manager.remove(group: "pod-u1", container: "c2")
    }

    @Test func killEndsEveryProcessThroughCgroupKill() throws {
        let host = try FakeCgroupHost.hybrid()
        let manager = try host.manager()
        let attachment = try manager.create(group: "pod-u1", container: "c1", resources: resources)
        for file in attachment.procsFiles { try host.write("4242", to: file) }
        try manager.kill(group: "pod-u1", container: "c1")
        #expect(host.writes.last?.path == "/sys/fs/cgroup/unified/skiff/pod-u1/c1/cgroup.kill")
        #expect(try manager.openContainer(id: "c1", inPod: "u1").processes().isEmpty)
    }

    @Test func impossibleResourcesAreAConfigErrorAndLeaveNoCgroup() throws {
        let host = try FakeCgroupHost.hybrid()
        let manager = try host.manager()
        #expect {
            try manager.create(group: "pod-u1", container: "c1", resources: ContainerResources(cpuLimitMillis: 0))
        } throws: { error in
            guard case .invalidConfig(let message)? = error as? RuntimeError else { return false }
            return message.contains("cpu limit")
        }
        #expect(host.directories(containing: "pod-u1").isEmpty)
    }
}
