import Foundation
import SkiffAPI
@testable import SkiffKubelet
import Testing

@Suite struct NodeObjectTests {
    let machine = MachineInfo(
        cpuCount: 2, memoryBytes: 4 << 30, ephemeralStorageBytes: 100 << 30, machineID: "m1", bootID: "b1",
        kernelVersion: "6.18.0", osImage: "Debian GNU/Linux 12 (bookworm)")

    func configuration() -> KubeletConfiguration {
        var configuration = KubeletConfiguration(nodeName: "n1", nodeIP: "192.0.2.7")
        configuration.podCIDR = "10.42.3.0/24"
        configuration.nodeLabels = ["zone": "a"]
        configuration.registerTaints = ["dedicated=db:NoSchedule"]
        return configuration
    }

    @Test func registersWithLabelsCapacityAllocatableAndAddresses() throws {
        let node = try NodeObject(configuration: configuration(), machine: machine).registration()
        #expect(node.metadata.name == "n1")
        #expect(node.metadata.labels?["kubernetes.io/hostname"] == "n1")
        #expect(node.metadata.labels?["kubernetes.io/arch"] == "amd64")
        #expect(node.metadata.labels?["zone"] == "a")
        #expect(node.spec.podCIDR == "10.42.3.0/24")
        #expect(node.spec.taints?.first?.key == "dedicated" && node.spec.taints?.first?.effect == "NoSchedule")
        #expect(node.status.capacity?["cpu"] == Quantity(2))
        #expect(node.status.capacity?["pods"] == Quantity(110))
        // Allocatable keeps the hard eviction thresholds back: 100Mi of memory, 10% of disk.
        #expect(node.status.allocatable?["memory"]?.value == (4 << 30) - (100 << 20))
        #expect(node.status.allocatable?["ephemeral-storage"]?.value == Int64(Double(100 << 30) * 0.9))
        #expect(node.status.addresses == [NodeAddress(type: "InternalIP", address: "192.0.2.7"), NodeAddress(type: "Hostname", address: "n1")])
        #expect(node.status.daemonEndpoints.kubeletEndpoint.Port == 10250)
        #expect(node.status.nodeInfo.kubeletVersion == "v1.32.0+skiff")
        #expect(node.status.nodeInfo.osImage == "Debian GNU/Linux 12 (bookworm)")
    }

    @Test func anExistingNodeKeepsItsTaintsAndGainsLabels() throws {
        var existing = Node()
        existing.metadata.name = "n1"
        existing.metadata.labels = ["kept": "yes"]
        var taint = Taint()
        taint.key = "node.kubernetes.io/unreachable"
        taint.effect = "NoExecute"
        existing.spec.taints = [taint]
        existing.spec.podCIDR = "10.42.9.0/24"
        let node = NodeObject(configuration: configuration(), machine: machine).reconcile(existing)
        #expect(node.metadata.labels?["kept"] == "yes")
        #expect(node.metadata.labels?["kubernetes.io/hostname"] == "n1")
        #expect(node.spec.taints == [taint])
        #expect(node.spec.podCIDR == "10.42.9.0/24", "the cluster's podCIDR wins")
    }

    @Test func refusesMalformedTaints() {
        #expect(throws: KubeletError.self) { try NodeObject.taint("no-effect") }
        #expect(throws: KubeletError.self) { try NodeObject.taint("key=value:Sometimes") }
    }

    @Test func conditionsFollowPressureAndKeepTransitionTimes() {
        let before = Time(nanosecondsSinceEpoch: 1_000_000_000)
        var ready = NodeCondition()
        ready.type = "Ready"
        ready.status = "True"
        ready.lastTransitionTime = before
        let calm = NodeConditions(
            memory: MemoryFigures(total: 4 << 30, available: 2 << 30), disk: FilesystemFigures(total: 100, available: 50),
            pids: (100, 1000), notReadyReason: nil)
        let conditions = calm.conditions(previous: [ready], now: .now())
        #expect(conditions.map(\.type) == ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"])
        #expect(conditions.allSatisfy { $0.type == "Ready" ? $0.status == "True" : $0.status == "False" })
        #expect(conditions.last?.lastTransitionTime == before)
        #expect(conditions.last?.message == "kubelet is posting ready status")

        let pressed = NodeConditions(
            memory: MemoryFigures(total: 4 << 30, available: 50 << 20), disk: FilesystemFigures(total: 100, available: 5),
            pids: (950, 1000), notReadyReason: "container runtime is down")
        let stressed = pressed.conditions(previous: conditions, now: .now())
        #expect(stressed.map(\.status) == ["True", "True", "True", "False"])
        #expect(stressed[0].reason == "KubeletHasInsufficientMemory")
        #expect(stressed[3].message == "container runtime is down")
        #expect(stressed[3].lastTransitionTime != before)
    }

    @Test func readsMeminfoAndOSRelease() throws {
        let figures = MemoryFigures.parse("MemTotal:        4000 kB\nMemFree:  100 kB\nMemAvailable:    3000 kB\n")
        #expect(figures == MemoryFigures(total: 4000 * 1024, available: 3000 * 1024))
        let path = NSTemporaryDirectory() + "os-release-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME='Debian GNU/Linux 12 (bookworm)'\nID=debian\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let fields = MachineInfo.osRelease(path)
        #expect(fields["PRETTY_NAME"] == "Debian GNU/Linux 12 (bookworm)")
        #expect(fields["ID"] == "debian")
    }

    @Test func pullSecretsGiveCredentialsByRegistryHost() throws {
        var secret = Secret()
        let config = #"{"auths":{"https://index.docker.io/v1/":{"auth":"\#(Data("alice:pw".utf8).base64EncodedString())"},"registry.local:5000":{"username":"bob","password":"s3"}}}"#
        secret.data = [".dockerconfigjson": Base64Bytes(Array(config.utf8))]
        let credentials = PullSecretCredentials.parse([secret])
        #expect(credentials["docker.io"]?.username == "alice")
        #expect(credentials["docker.io"]?.password == "pw")
        #expect(credentials["registry.local:5000"]?.username == "bob")
    }
}
