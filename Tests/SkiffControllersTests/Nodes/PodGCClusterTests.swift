import SkiffAPI
import SkiffClient
import SkiffControllers
import Testing

@Suite(.serialized) struct PodGCClusterTests {
    static var settings: NodeControllersConfiguration {
        var settings = NodeControllersConfiguration()
        settings.podGCPeriod = .milliseconds(100)
        settings.podGCQuarantine = .milliseconds(300)
        settings.terminatedPodGCThreshold = 2
        return settings
    }

    func names(_ cluster: TestCluster) async throws -> Set<String> {
        Set(try await cluster.pods().compactMap(\.metadata.name))
    }

    @Test func podsOfADeletedNodeAreForceDeleted() async throws {
        try await TestCluster.with(controllers: ["podgc"], nodes: Self.settings) { cluster in
            for name in ["stays", "goes"] {
                var node = Node()
                node.metadata.name = name
                try await cluster.client.create(node)
            }
            try await cluster.runningPod("kept", on: "stays")
            try await cluster.runningPod("orphan", on: "goes")
            try await cluster.runningPod("never-had-a-node", on: "nowhere")
            try await cluster.client.delete(Node.self, "goes")
            #expect(try await eventually { try await names(cluster) == ["kept"] })
            // Still there after more passes.
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await names(cluster) == ["kept"])
        }
    }

    @Test func terminatedPodsOverTheThresholdGoOldestFirst() async throws {
        try await TestCluster.with(controllers: ["podgc"], nodes: Self.settings) { cluster in
            // Created one after another: names sort as creation does, which breaks
            // ties between creationTimestamps of the same second.
            for (name, phase) in [("t1-old", "Succeeded"), ("t2-old", "Failed"), ("t3-new", "Succeeded"), ("t4-new", "Failed")] {
                var pod = Pod()
                pod.metadata.name = name
                pod.metadata.namespace = "default"
                pod.spec.containers = [Manifests.container(image: "nginx:1")]
                let created = try await cluster.client.create(pod)
                var finished = created
                finished.status.phase = phase
                try await cluster.client.updateStatus(finished)
            }
            try await cluster.runningPod("running", on: nil)
            #expect(try await eventually { try await names(cluster) == ["t3-new", "t4-new", "running"] })
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await names(cluster) == ["t3-new", "t4-new", "running"])
        }
    }
}
