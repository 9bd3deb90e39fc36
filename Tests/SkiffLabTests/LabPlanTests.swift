import Foundation
@testable import SkiffLab
import Testing

@Suite("Lab plan")
struct LabPlanTests {
    @Test func nodesGetNamesAddressesPodRangesAndCgroupsFromTheLabName() throws {
        let plan = try LabPlan(name: "demo", nodes: 3, root: "/var/lib/skiff-lab")
        #expect(plan.nodes.map(\.name) == ["demo-server", "demo-node1", "demo-node2"])
        #expect(plan.nodes.map(\.role) == [.server, .agent, .agent])
        #expect(plan.nodes.map(\.address) == ["10.250.0.10", "10.250.0.11", "10.250.0.12"])
        #expect(plan.nodes.map(\.namespace) == ["skiff-demo-server", "skiff-demo-node1", "skiff-demo-node2"])
        #expect(plan.nodes.map(\.cgroupParent) == ["skiff-lab-demo-server", "skiff-lab-demo-node1", "skiff-lab-demo-node2"])
        #expect(plan.networkNamespace == "skiff-demo-net")
        #expect(plan.serverURL == "https://10.250.0.10:6443")
        #expect(plan.nodes[1].imageStore == "/var/lib/skiff-lab/demo/nodes/demo-node1/state/runtime/images")
    }

    @Test func badNamesCountsAndNetworksAreRefusedWithTheReason() {
        for name in ["", "Upper", "with_underscore", "-lead", "trail-", String(repeating: "a", count: 21)] {
            #expect(throws: LabError.self) { try LabPlan(name: name, nodes: 1, root: "/tmp") }
        }
        #expect { try LabPlan(name: "ok", nodes: 0, root: "/tmp") } throws: { "\($0)".contains("--nodes must be 1 to 50") }
        #expect { try LabPlan(name: "ok", nodes: 2, root: "/tmp", network: "10.250.0.0/16") } throws: {
            "\($0)".contains("IPv4 /24")
        }
    }

    @Test func theStateRoundTripsThroughItsFile() throws {
        let directory = NSTemporaryDirectory() + "skiff-lab-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plan = try LabPlan(name: "t", nodes: 2, root: directory)
        try FileManager.default.createDirectory(atPath: plan.directory, withIntermediateDirectories: true)
        var state = LabState(plan: plan)
        state.processes = [LabState.Process(component: "server", pid: 42, startTime: 7)]
        state.relayPort = 40123
        try state.save()
        let loaded = try LabState.load(plan.stateFile)
        #expect(loaded.plan == plan && loaded.processes == state.processes && loaded.relayPort == 40123)
        #expect { try LabState.load(directory + "/none.json") } throws: { "\($0)".contains("run `skiff lab up` first") }
    }
}

@Suite("Lab teardown helpers")
struct LabTeardownHelperTests {
    @Test func mountsUnderTheLabAreFoundDeepestFirstAndOthersIgnored() {
        let mountinfo = """
            22 1 0:21 / / rw - ext4 /dev/vda rw
            30 22 0:40 / /var/lib/skiff-lab/t/nodes/t-server/run/netns/pod1 rw - nsfs nsfs rw
            31 22 0:41 / /var/lib/skiff-lab/t/nodes/t-server/state/pods/uid/volumes/my\\040dir rw - tmpfs tmpfs rw
            32 22 0:42 / /var/lib/skiff-lab/t/nodes/t-server/state rw - tmpfs tmpfs rw
            33 22 0:43 / /var/lib/skiff-lab/t2/nodes/x rw - tmpfs tmpfs rw
            """
        #expect(MountTable.mountPoints(under: "/var/lib/skiff-lab/t", mountinfo: mountinfo) == [
            "/var/lib/skiff-lab/t/nodes/t-server/state/pods/uid/volumes/my dir",
            "/var/lib/skiff-lab/t/nodes/t-server/run/netns/pod1",
            "/var/lib/skiff-lab/t/nodes/t-server/state",
        ])
    }

    @Test func cgroupsAreFoundByTheirParentsExactNamesInEveryHierarchy() throws {
        let root = NSTemporaryDirectory() + "skiff-cgroups-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for path in [
            "unified/user.slice/skiff-lab-t-server/pod1/c1", "memory/user.slice/skiff-lab-t-server/pod1",
            "unified/user.slice/skiff-lab-t-server-other/pod2", "unified/skiff-lab-t2-server",
        ] {
            try FileManager.default.createDirectory(atPath: root + "/" + path, withIntermediateDirectories: true)
        }
        let found = LabCgroups(parents: ["skiff-lab-t-server"], root: root).directories().map { String($0.dropFirst(root.count)) }
        #expect(Set(found) == [
            "/unified/user.slice/skiff-lab-t-server/pod1/c1", "/unified/user.slice/skiff-lab-t-server/pod1",
            "/unified/user.slice/skiff-lab-t-server", "/memory/user.slice/skiff-lab-t-server/pod1",
            "/memory/user.slice/skiff-lab-t-server",
        ])
        // Children before their parents: the order cgroups can be removed in.
        for (index, path) in found.enumerated() {
            #expect(!found[..<index].contains { path.hasPrefix($0 + "/") }, "\(path) comes after its parent")
        }
    }

    @Test func theHostKubeconfigPointsAtTheRelay() throws {
        let path = NSTemporaryDirectory() + "skiff-kc-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let inner = "apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: QUJD\n    server: https://127.0.0.1:6443\n  name: skiff\n"
        try HostKubeconfig.write(from: inner, port: 40999, to: path)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == inner.replacingOccurrences(of: "https://127.0.0.1:6443", with: "https://127.0.0.1:40999"))
        #expect(throws: LabError.self) { try HostKubeconfig.write(from: "apiVersion: v1\n", port: 1, to: path) }
    }
}
