import Testing

@testable import SkiffRuntime

#if canImport(Glibc)
import Glibc
#endif

/// The manager against a fake cgroupfs: which files get which values, on a hybrid and a
/// pure-v2 host, and what is left behind when something goes wrong.
@Suite struct CgroupManagerTests {
    static let mebibyte = 1024 * 1024
    let pod = CgroupLimits(
        cpuRequestMillicores: 500, cpuLimitMillicores: 1000, memoryLimitBytes: 256 * mebibyte, pidsLimit: 1024)
    let container = CgroupLimits(
        cpuRequestMillicores: 250, cpuLimitMillicores: 500, memoryLimitBytes: 128 * mebibyte, pidsLimit: 100)

    @Test func hybridHostWritesV1FilesUnderTheAgentsCgroups() throws {
        let host = try FakeCgroupHost.hybrid(memoryPath: "/process_api/abc")
        let manager = try host.manager()
        let podCgroup = try manager.createPod(uid: "u1", limits: pod)
        let cgroup = try manager.createContainer(id: "c1", in: podCgroup, limits: container)

        #expect(cgroup.path == "skiff/pod-u1/c1")
        let base = "/sys/fs/cgroup"
        let memory = base + "/memory/process_api/abc/skiff/pod-u1/c1"
        #expect(host.contents(of: base + "/cpu/skiff/pod-u1/c1/cpu.shares") == "256")
        #expect(host.contents(of: base + "/cpu/skiff/pod-u1/c1/cpu.cfs_period_us") == "100000")
        #expect(host.contents(of: base + "/cpu/skiff/pod-u1/c1/cpu.cfs_quota_us") == "50000")
        #expect(host.contents(of: memory + "/memory.limit_in_bytes") == "\(128 * Self.mebibyte)")
        #expect(host.contents(of: memory + "/memory.memsw.limit_in_bytes") == "\(128 * Self.mebibyte)")
        #expect(host.contents(of: base + "/pids/skiff/pod-u1/c1/pids.max") == "100")
        #expect(host.contents(of: base + "/cpu/skiff/pod-u1/cpu.shares") == "512")
        #expect(host.contents(of: base + "/cpu/skiff/pod-u1/cpu.cfs_quota_us") == "100000")
        #expect(
            host.contents(of: base + "/memory/process_api/abc/skiff/pod-u1/memory.limit_in_bytes")
                == "\(256 * Self.mebibyte)")
        #expect(host.contents(of: base + "/pids/skiff/pod-u1/pids.max") == "1024")
        // Only hugetlb is on v2 here, and Skiff does not use it: nothing to enable.
        #expect(host.contents(of: base + "/unified/skiff/cgroup.subtree_control") == "")

        #expect(cgroup.unifiedDirectory == host.root + base + "/unified/skiff/pod-u1/c1")
        #expect(
            cgroup.procsFiles
                == [
                    base + "/unified/skiff/pod-u1/c1/cgroup.procs",
                    base + "/pids/skiff/pod-u1/c1/cgroup.procs",
                    base + "/freezer/skiff/pod-u1/c1/cgroup.procs",
                    memory + "/cgroup.procs",
                    base + "/cpuacct/skiff/pod-u1/c1/cgroup.procs",
                    base + "/cpu/skiff/pod-u1/c1/cgroup.procs",
                ].map { host.root + $0 })
        // Hierarchies Skiff does not use are left alone.
        #expect(
            host.directories(containing: "skiff").allSatisfy { !$0.contains("/devices/") && !$0.contains("/cpuset/") })
    }

    @Test func pureV2HostEnablesControllersDownToThePodAndWritesV2Files() throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/", agentPids: [])
        let manager = try host.manager()
        let podCgroup = try manager.createPod(uid: "u1", limits: pod)
        let cgroup = try manager.createContainer(id: "c1", in: podCgroup, limits: container)

        let podDirectory = "/sys/fs/cgroup/skiff/pod-u1"
        #expect(host.contents(of: "/sys/fs/cgroup/skiff/cgroup.subtree_control") == "cpu memory pids")
        #expect(host.contents(of: podDirectory + "/cgroup.subtree_control") == "cpu memory pids")
        #expect(host.contents(of: podDirectory + "/c1/cgroup.subtree_control") == "")
        #expect(host.contents(of: podDirectory + "/cpu.weight") == "20")
        #expect(host.contents(of: podDirectory + "/cpu.max") == "100000 100000")
        #expect(host.contents(of: podDirectory + "/c1/cpu.weight") == "10")
        #expect(host.contents(of: podDirectory + "/c1/cpu.max") == "50000 100000")
        #expect(host.contents(of: podDirectory + "/c1/memory.max") == "\(128 * Self.mebibyte)")
        #expect(host.contents(of: podDirectory + "/c1/memory.swap.max") == "0")
        #expect(host.contents(of: podDirectory + "/c1/pids.max") == "100")
        #expect(cgroup.procsFiles == [host.root + podDirectory + "/c1/cgroup.procs"])
        #expect(cgroup.unifiedDirectory == host.root + podDirectory + "/c1")
    }

    @Test func unlimitedWritesTheKernelsNoLimitValues() throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/", agentPids: [])
        let cgroup = try host.manager().createPod(uid: "u1", limits: .unlimited)
        let directory = "/sys/fs/cgroup/skiff/pod-u1"
        #expect(host.contents(of: directory + "/cpu.max") == "max 100000")
        #expect(host.contents(of: directory + "/cpu.weight") == "1")
        #expect(host.contents(of: directory + "/memory.max") == "max")
        #expect(host.contents(of: directory + "/pids.max") == "max")
        try cgroup.remove()
    }

    @Test func theAgentsProcessesMoveIntoALeafSoItsCgroupCanDelegateControllers() throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/system.slice/skiff.service", agentPids: [100, 101])
        let manager = try host.manager()
        _ = try manager.createPod(uid: "u1", limits: pod)
        let service = "/sys/fs/cgroup/system.slice/skiff.service"
        #expect(host.contents(of: service + "/cgroup.procs") == "")
        #expect(host.contents(of: service + "/skiff-agent/cgroup.procs") == "100\n101\n")
        #expect(host.contents(of: service + "/cgroup.subtree_control") == "cpu memory pids")
        #expect(host.contents(of: service + "/skiff/pod-u1/memory.max") == "\(256 * Self.mebibyte)")
        // A restarted agent finds its pods beside its leaf.
        try host.setContents("0::/system.slice/skiff.service/skiff-agent\n", of: "/proc/self/cgroup")
        #expect(try host.manager().podUIDs() == ["u1"])
    }

    @Test func impossibleLimitsLeaveNoCgroupBehind() throws {
        let host = try FakeCgroupHost.hybrid()
        let manager = try host.manager()
        #expect { try manager.createPod(uid: "u1", limits: CgroupLimits(memoryLimitBytes: 1024)) } throws: {
            ($0 as? CgroupError)?.code == .invalidLimits
        }
        #expect(host.directories(containing: "pod-u1").isEmpty)
    }

    @Test func aLimitTheKernelRefusesRemovesTheHalfMadeCgroupInEveryHierarchy() throws {
        let host = try FakeCgroupHost.hybrid()
        let manager = try host.manager()
        let podCgroup = try manager.createPod(uid: "u1", limits: pod)
        // v1 refuses a child quota above its parent's with EINVAL.
        host.failWrites(toFileNamed: "cpu.cfs_quota_us", errno: EINVAL)
        #expect { try manager.createContainer(id: "c1", in: podCgroup, limits: container) } throws: {
            ($0 as? CgroupError)?.errno == EINVAL
        }
        #expect(host.directories(containing: "/c1").isEmpty)
        #expect(host.directories(containing: "pod-u1").count == 6)
    }

    @Test func anExistingCgroupIsNotTakenOverNorRemoved() throws {
        let host = try FakeCgroupHost.hybrid()
        let manager = try host.manager()
        _ = try manager.createPod(uid: "u1", limits: pod)
        #expect { try manager.createPod(uid: "u1", limits: pod) } throws: {
            ($0 as? CgroupError)?.code == .alreadyExists
        }
        #expect(host.directories(containing: "pod-u1").count == 6)
    }

    @Test(arguments: ["", ".", "..", "a/b", "../../escape"])
    func namesThatAreNotOnePathComponentAreRefused(name: String) throws {
        let host = try FakeCgroupHost.hybrid()
        let manager = try host.manager()
        #expect { try manager.createPod(uid: name, limits: .unlimited) } throws: {
            ($0 as? CgroupError)?.code == .invalidName
        }
        #expect { try manager.openContainer(id: name, inPod: "u1") } throws: {
            ($0 as? CgroupError)?.code == .invalidName
        }
    }

    @Test(arguments: ["", "..", "../escape", "/absolute", "a//b", "skiff-agent"])
    func parentsOutsideTheAgentsSubtreeOrOnItsLeafAreRefused(parent: String) throws {
        let host = try FakeCgroupHost.hybrid()
        #expect { try host.manager(parent: parent) } throws: { ($0 as? CgroupError)?.code == .invalidName }
    }

    @Test func aParentMayBeSeveralLevelsDeep() throws {
        let host = try FakeCgroupHost.pureV2(agentPath: "/", agentPids: [])
        let pod = try host.manager(parent: "kubepods/burstable").createPod(uid: "u1", limits: .unlimited)
        #expect(pod.path == "kubepods/burstable/pod-u1")
        #expect(host.contents(of: "/sys/fs/cgroup/kubepods/burstable/cgroup.subtree_control") == "cpu memory pids")
        #expect(host.isDirectory("/sys/fs/cgroup/kubepods/burstable/pod-u1"))
    }

    @Test func openFindsACgroupAnEarlierAgentMade() throws {
        let host = try FakeCgroupHost.hybrid()
        let made = try host.manager().createContainer(
            id: "c1", in: host.manager().createPod(uid: "u1", limits: pod), limits: container)
        let reopened = try host.manager().openContainer(id: "c1", inPod: "u1")
        #expect(reopened.procsFiles == made.procsFiles)
        #expect(try host.manager().podUIDs() == ["u1"])
        #expect { try host.manager().openPod(uid: "u2") } throws: { ($0 as? CgroupError)?.code == .notFound }
    }
}
