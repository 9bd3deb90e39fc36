import Testing

@testable import SkiffRuntime

@Suite struct CgroupHostLayoutTests {
    @Test func hybridHostPutsEachControllerInItsV1HierarchyAndNestsUnderTheAgentsMemoryCgroup() throws {
        let host = try FakeCgroupHost.hybrid(memoryPath: "/process_api/abc")
        let layout = try host.layout()
        let cgroupRoot = host.root + "/sys/fs/cgroup"
        #expect(
            layout.unified
                == CgroupHierarchy(
                    mountPoint: cgroupRoot + "/unified", controllers: ["hugetlb"],
                    baseDirectory: cgroupRoot + "/unified"))
        #expect(layout.v1.map(\.controllers) == [["pids"], ["freezer"], ["memory"], ["cpuacct"], ["cpu"]])
        #expect(
            layout.placement(of: .memory)
                == .v1(
                    CgroupHierarchy(
                        mountPoint: cgroupRoot + "/memory", controllers: ["memory"],
                        baseDirectory: cgroupRoot + "/memory/process_api/abc")))
        #expect(
            layout.placement(of: .cpu)
                == .v1(
                    CgroupHierarchy(
                        mountPoint: cgroupRoot + "/cpu", controllers: ["cpu"], baseDirectory: cgroupRoot + "/cpu")))
        #expect(layout.unifiedControllers.isEmpty)
    }

    @Test func pureV2HostPlacesEveryControllerInTheUnifiedHierarchy() throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/system.slice/skiff.service")
        let layout = try host.layout()
        #expect(layout.v1.isEmpty)
        #expect(layout.unified?.baseDirectory == host.root + "/sys/fs/cgroup/system.slice/skiff.service")
        #expect(layout.unifiedControllers == [.cpu, .memory, .pids])
        #expect(layout.placement(of: .freezer) == .absent)
        #expect(layout.placement(of: .cpuacct) == .absent)
    }

    @Test func aRestartedAgentInsideItsLeafNestsBesideIt() throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/system.slice/skiff.service")
        try host.makeTree("/sys/fs/cgroup/system.slice/skiff.service/skiff-agent")
        try host.setContents("0::/system.slice/skiff.service/skiff-agent\n", of: "/proc/self/cgroup")
        let layout = try host.layout()
        #expect(layout.unified?.baseDirectory == host.root + "/sys/fs/cgroup/system.slice/skiff.service")
    }

    @Test func coMountedControllersAreOneHierarchy() throws {
        let mounts = try CgroupHostLayout.parseMountInfo(
            "35 31 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n")
        #expect(
            mounts == [
                .init(
                    root: "/", mountPoint: "/sys/fs/cgroup/cpu,cpuacct", isUnified: false,
                    options: ["rw", "cpu", "cpuacct"])
            ])
        let memberships = try CgroupHostLayout.parseSelfCgroup("3:cpu,cpuacct:/a\n0::/b\n")
        #expect(
            memberships == [.init(controllers: ["cpu", "cpuacct"], path: "/a"), .init(controllers: [], path: "/b")])
    }

    @Test func aMountOfASubtreeMapsTheAgentsPathBelowItsRoot() throws {
        let mount = CgroupHostLayout.CgroupMount(
            root: "/docker/c1", mountPoint: "/sys/fs/cgroup/memory", isUnified: false, options: ["memory"])
        #expect(try mount.directory(for: "/docker/c1/sub", root: "") == "/sys/fs/cgroup/memory/sub")
        #expect(try mount.directory(for: "/docker/c1", root: "") == "/sys/fs/cgroup/memory")
        #expect(throws: CgroupError.self) { try mount.directory(for: "/other", root: "") }
    }

    @Test func mountPointsWithEscapedSpacesAreUnescaped() {
        #expect(CgroupHostLayout.unescapeOctal("/mnt/my\\040cgroups") == "/mnt/my cgroups")
    }

    @Test func unreadableProcFilesAreAClearError() {
        #expect { try CgroupHostLayout.parseSelfCgroup("garbage\n") } throws: {
            ($0 as? CgroupError)?.code == .hostLayout
        }
        #expect { try CgroupHostLayout.parseMountInfo("1 2 3\n") } throws: { ($0 as? CgroupError)?.code == .hostLayout }
    }
}
