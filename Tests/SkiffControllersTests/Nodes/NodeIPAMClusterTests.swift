import SkiffAPI
import SkiffClient
import SkiffControllers
import Testing

@Suite(.serialized) struct NodeIPAMClusterTests {
    func createNode(_ name: String, podCIDR: String? = nil, in cluster: TestCluster) async throws {
        var node = Node()
        node.metadata.name = name
        node.spec.podCIDR = podCIDR
        node.spec.podCIDRs = podCIDR.map { [$0] }
        try await cluster.client.create(node)
    }

    func podCIDRs(_ cluster: TestCluster) async throws -> [String: String] {
        var cidrs: [String: String] = [:]
        for node in try await cluster.client.list(Node.self).items {
            if let cidr = node.spec.podCIDR { cidrs[node.metadata.name ?? ""] = cidr }
        }
        return cidrs
    }

    @Test func nodesGetDistinctSubnetsOfTheClusterCIDR() async throws {
        try await TestCluster.with(controllers: ["nodeipam"]) { cluster in
            for name in ["a", "b", "c"] { try await createNode(name, in: cluster) }
            #expect(try await eventually { try await podCIDRs(cluster).count == 3 })
            let cidrs = try await podCIDRs(cluster)
            #expect(Set(cidrs.values) == ["10.42.0.0/24", "10.42.1.0/24", "10.42.2.0/24"])
            for name in ["a", "b", "c"] {
                #expect(try await cluster.node(name).spec.podCIDRs == [cidrs[name]!])
            }
        }
    }

    /// Allocations live in the Nodes: a new controller manager (a restart, or a
    /// new leader) hands out only what no node has, including subnets a kubelet
    /// set itself with --pod-cidr.
    @Test func allocationsSurviveARestartOfTheController() async throws {
        try await TestCluster.with(controllers: []) { cluster in
            try await createNode("manual", podCIDR: "10.42.0.0/24", in: cluster)
            func runManager(_ body: () async throws -> Void) async throws {
                let client = try APIClient(.plainHTTP(port: cluster.port))
                var configuration = ControllerManager.Configuration()
                configuration.controllers = ["nodeipam"]
                let manager = ControllerManager(client: client, configuration: configuration)
                let running = Task { await manager.run() }
                defer { client.close() }
                do { try await body() } catch {
                    running.cancel()
                    await running.value
                    throw error
                }
                running.cancel()
                await running.value
            }
            try await runManager {
                for name in ["a", "b"] { try await createNode(name, in: cluster) }
                #expect(try await eventually { try await podCIDRs(cluster).count == 3 })
            }
            let before = try await podCIDRs(cluster)
            #expect(before["a"] != "10.42.0.0/24" && before["b"] != "10.42.0.0/24")

            // While no controller runs, a node is added; the next one must not reuse anything.
            try await createNode("c", in: cluster)
            try await runManager {
                try await createNode("d", in: cluster)
                #expect(try await eventually { try await podCIDRs(cluster).count == 5 })
            }
            let after = try await podCIDRs(cluster)
            #expect(Set(after.values).count == 5, "\(after)")
            for (name, cidr) in before { #expect(after[name] == cidr, "\(name) keeps its subnet") }
        }
    }

    @Test func anExhaustedRangeIsAnEventAndADeletedNodeFreesItsSubnet() async throws {
        var settings = NodeControllersConfiguration()
        settings.clusterCIDR = "10.99.0.0/23"
        try await TestCluster.with(controllers: ["nodeipam"], nodes: settings) { cluster in
            for name in ["a", "b"] { try await createNode(name, in: cluster) }
            #expect(try await eventually { try await podCIDRs(cluster).count == 2 })
            try await createNode("c", in: cluster)
            #expect(try await eventually {
                try await cluster.events(reason: "CIDRNotAvailable").contains {
                    $0.involvedObject.name == "c" && $0.message == "Node c status is now: CIDRNotAvailable"
                }
            })
            #expect(try await podCIDRs(cluster)["c"] == nil)

            let freed = try await podCIDRs(cluster)["a"]
            try await cluster.client.delete(Node.self, "a")
            #expect(try await eventually { try await podCIDRs(cluster)["c"] == freed })
        }
    }
}
