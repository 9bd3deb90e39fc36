import Foundation
import SkiffAPI
import SkiffClient
@testable import SkiffKubelet
@testable import SkiffRuntime
import Testing

/// A one-node cluster in this process: a real API server on loopback and a real
/// kubelet with its own runtime, image store and directories under a temporary
/// directory. Pod networking lives in a network namespace the harness makes
/// (plugins run there, the bridge is there; no route leaves it) and removes.
final class KubeletHarness: @unchecked Sendable {
    static let podCIDR = "10.244.7.0/24"
    let directory: String
    let netns: String
    let runtime: ContainerRuntime
    let images: ImageStore
    var configuration: KubeletConfiguration

    init() async throws {
        directory = NSTemporaryDirectory() + "skiff-kubelet-\(UUID().uuidString.prefix(8))"
        netns = "skiff-kt-\(UUID().uuidString.prefix(6).lowercased())"
        try await Self.run("/usr/sbin/ip", ["netns", "add", netns])
        try await Self.run("/usr/sbin/ip", ["-n", netns, "link", "set", "lo", "up"])
        runtime = try ContainerRuntime(root: directory + "/runtime", cgroups: nil)
        images = try ImageStore(root: directory + "/images")
        _ = try await images.importLayout(path: try await Self.buildTestImage(in: directory + "/layout"))
        configuration = KubeletConfiguration(nodeName: "kt-node", nodeIP: "127.0.0.1")
        configuration.rootDirectory = directory + "/kubelet"
        configuration.podLogDirectory = directory + "/logs"
        configuration.sandboxRunDirectory = directory + "/run"
        configuration.sandboxStateDirectory = directory + "/sandboxes"
        configuration.ipamDataDirectory = directory + "/ipam"
        configuration.cniPluginNetworkNamespace = "/run/netns/\(netns)"
        configuration.bridgeName = "kt0"
        configuration.podCIDR = Self.podCIDR
        // Test-sized timings: no assertion depends on them, they only keep tests short.
        configuration.relistInterval = .milliseconds(200)
        configuration.podResyncInterval = .seconds(1)
        configuration.backOffInitial = .milliseconds(500)
        configuration.backOffMaximum = .seconds(2)
        configuration.leaseRenewInterval = .seconds(1)
        configuration.nodeStatusUpdateInterval = .seconds(1)
    }

    /// A harness and an API server for `body`; everything is cleaned up after,
    /// also when `body` fails.
    static func with(_ body: (KubeletHarness, TestAPIServer) async throws -> Void) async throws {
        let harness = try await KubeletHarness()
        do {
            try await TestAPIServer.with { server in try await body(harness, server) }
        } catch {
            await harness.cleanUp()
            throw error
        }
        await harness.cleanUp()
    }

    /// Stops every container left, removes the namespace and the directory.
    func cleanUp() async {
        for record in await runtime.list() {
            _ = try? await runtime.stop(id: record.id, gracePeriod: 0)
            try? await runtime.remove(id: record.id)
        }
        let sandboxes = PodSandboxes(
            network: DefaultNetwork.conflist(podCIDR: Self.podCIDR, bridge: "kt0", ipamDataDirectory: directory + "/ipam"),
            runDirectory: directory + "/run", stateDirectory: directory + "/sandboxes",
            pluginNetworkNamespace: "/run/netns/\(netns)")
        for sandbox in sandboxes.list() { try? await sandboxes.remove(id: sandbox.id) }
        try? sandboxes.namespaces.removeDirectories()
        try? await Self.run("/usr/sbin/ip", ["netns", "delete", netns])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a kubelet against `server` while `body` runs, then stops it (its
    /// containers keep running, as after an agent restart).
    func withKubelet<T>(_ server: TestAPIServer, _ body: () async throws -> T) async throws -> T {
        let client = try server.newClient()
        let kubelet = Kubelet(
            configuration: configuration, client: client, runtime: runtime, imageStore: images,
            volumes: PodVolumes(podsDirectory: configuration.podsDirectory))
        let task = Task { await kubelet.run() }
        defer {
            task.cancel()
            client.close()
        }
        let result = try await body()
        task.cancel()
        await task.value
        return result
    }

    static func pod(_ name: String, command: [String], change: (inout Pod) -> Void = { _ in }) -> Pod {
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        var container = Container()
        container.name = "main"
        container.image = "busybox:latest"
        container.imagePullPolicy = "IfNotPresent"
        container.command = command
        pod.spec.containers = [container]
        pod.spec.nodeName = "kt-node"
        pod.spec.terminationGracePeriodSeconds = 2
        change(&pod)
        return pod
    }

    /// The project's busybox test image (scripts/build-test-image) as an OCI layout.
    static func buildTestImage(in layout: String) async throws -> String {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        try await run(repository + "/scripts/build-test-image", [layout])
        return layout
    }

    static func run(_ executable: String, _ arguments: [String]) async throws {
        let outcome = try await runProgram(executable, arguments)
        guard outcome.status == 0 else {
            throw HarnessError("\(executable) \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stdout)")
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

