import SkiffAPI
import SkiffClient
import Synchronization
import Testing

@testable import SkiffControllers

@Suite(.serialized) struct DaemonSetClusterTests {
    @Test func runsOnePodOnEveryEligibleNodeAndFollowsTheNodes() async throws {
        try await TestCluster.with(controllers: ["daemonset"]) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            try await cluster.addNode("a", labels: ["role": "worker"])
            try await cluster.addNode("b", labels: ["role": "worker"], taints: [Taint(key: "dedicated", value: "db", effect: "NoSchedule")])
            try await cluster.addNode("c")
            // Cordoned: the default daemon tolerations let the pod in.
            try await cluster.addNode("d", labels: ["role": "worker"], taints: [Taint(key: "node.kubernetes.io/unschedulable", effect: "NoSchedule")])
            let set = try await cluster.client.create(Manifests.daemonSet("agent", nodeSelector: ["role": "worker"]))
            #expect(try await eventually { try await cluster.daemonPodNodes() == ["a", "d"] })
            let pod = try #require(try await cluster.pods().first)
            #expect(pod.metadata.ownerReferences?.first?.uid == set.metadata.uid)
            #expect(pod.metadata.ownerReferences?.first?.kind == "DaemonSet")
            #expect(pod.spec.nodeName == nil, "the scheduler binds daemon pods")
            let tolerated = Set((pod.spec.tolerations ?? []).compactMap(\.key))
            #expect(tolerated.isSuperset(of: ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable"]))
            let hash = try #require(pod.metadata.labels?["controller-revision-hash"])
            let revisions = try await cluster.client.list(ControllerRevision.self, namespace: "default").items
            #expect(revisions.map(\.metadata.name) == ["agent-\(hash)"])
            #expect(revisions.first?.metadata.ownerReferences?.first?.uid == set.metadata.uid)
            #expect(try await eventually {
                let status = try await cluster.client.get(DaemonSet.self, "agent", namespace: "default").status
                return status.desiredNumberScheduled == 2 && status.currentNumberScheduled == 2 && status.numberReady == 2
                    && status.numberAvailable == 2 && status.updatedNumberScheduled == 2 && status.numberMisscheduled == 0
                    && status.observedGeneration == 1
            })

            // A new node gets a pod; a deleted node's pod goes; so does the pod of a node that stops matching.
            try await cluster.addNode("e", labels: ["role": "worker"])
            #expect(try await eventually { try await cluster.daemonPodNodes() == ["a", "d", "e"] })
            try await cluster.client.delete(Node.self, "a")
            #expect(try await eventually { try await cluster.daemonPodNodes() == ["d", "e"] })
            try await cluster.client.patch(Node.self, "e", .merge, body: Array(#"{"metadata":{"labels":{"role":null}}}"#.utf8))
            #expect(try await eventually { try await cluster.daemonPodNodes() == ["d"] })
            // A NoExecute taint the pod does not tolerate evicts it.
            try await cluster.client.patch(
                Node.self, "d", .merge, body: Array(#"{"spec":{"taints":[{"key":"gone","effect":"NoExecute"}]}}"#.utf8))
            #expect(try await eventually { try await cluster.daemonPodNodes() == [] })
            #expect(try await eventually {
                try await cluster.client.get(DaemonSet.self, "agent", namespace: "default").status.desiredNumberScheduled == 0
            })
        }
    }

    @Test func rollingUpdateKeepsAtMostMaxUnavailableNodesWithoutAnAvailablePod() async throws {
        try await TestCluster.with(controllers: ["daemonset"]) { cluster in
            // New pods stay unready until the test lets them, so the controller must wait for them.
            let release = Atomic(false)
            let kubelet = FakeKubelet(client: cluster.client) { pod in
                pod.spec.containers.first?.image == "agent:1" || release.load(ordering: .relaxed)
            }
            defer { Task { await kubelet.stop() } }
            for node in ["a", "b", "c"] { try await cluster.addNode(node) }
            _ = try await cluster.client.create(Manifests.daemonSet("agent"))
            #expect(try await eventually {
                try await cluster.client.get(DaemonSet.self, "agent", namespace: "default").status.numberAvailable == 3
            })
            try await cluster.client.patch(
                DaemonSet.self, "agent", namespace: "default", .strategicMerge,
                body: Array(#"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"agent:2"}]}}}}"#.utf8))
            #expect(try await eventually { try await cluster.pods().filter { $0.image == "agent:2" }.count == 1 })
            // With the new pod unready, no second old pod may go (maxUnavailable 1).
            try await Task.sleep(for: .milliseconds(500))
            let pods = try await cluster.pods()
            #expect(pods.filter { $0.image == "agent:1" }.count == 2)
            #expect(pods.filter { $0.image == "agent:2" }.count == 1)

            release.store(true, ordering: .relaxed)
            #expect(try await eventually {
                let pods = try await cluster.pods()
                return pods.count == 3 && pods.allSatisfy { $0.image == "agent:2" }
            })
            let rollout = try await Kubectl.run(port: cluster.port, ["rollout", "status", "daemonset/agent", "--timeout=30s"])
            #expect(rollout.status == 0, "\(rollout.stderr)")
            #expect(rollout.stdout.contains("successfully rolled out"))
            let revisions = try await cluster.client.list(ControllerRevision.self, namespace: "default").items
            #expect(revisions.map(\.revision).sorted() == [1, 2])

            // kubectl reads the revisions for history and undo.
            let history = try await Kubectl.run(port: cluster.port, ["rollout", "history", "daemonset/agent"])
            #expect(history.status == 0, "\(history.stderr)")
            #expect(history.stdout.contains("1 ") && history.stdout.contains("2 "), "\(history.stdout)")
            let undo = try await Kubectl.run(port: cluster.port, ["rollout", "undo", "daemonset/agent"])
            #expect(undo.status == 0, "\(undo.stderr)")
            #expect(try await eventually {
                let pods = try await cluster.pods()
                return pods.count == 3 && pods.allSatisfy { $0.image == "agent:1" }
            })
            #expect(try await cluster.client.list(ControllerRevision.self, namespace: "default").items.map(\.revision).max() == 3)
        }
    }

    @Test func onDeleteReplacesOnlyPodsThatAreDeleted() async throws {
        try await TestCluster.with(controllers: ["daemonset"]) { cluster in
            let kubelet = FakeKubelet(client: cluster.client)
            defer { Task { await kubelet.stop() } }
            for node in ["a", "b"] { try await cluster.addNode(node) }
            var manifest = Manifests.daemonSet("agent")
            manifest.spec.updateStrategy.type = "OnDelete"
            _ = try await cluster.client.create(manifest)
            #expect(try await eventually { try await cluster.daemonPodNodes() == ["a", "b"] })
            try await cluster.client.patch(
                DaemonSet.self, "agent", namespace: "default", .strategicMerge,
                body: Array(#"{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"agent:2"}]}}}}"#.utf8))
            #expect(try await eventually {
                let status = try await cluster.client.get(DaemonSet.self, "agent", namespace: "default").status
                return status.observedGeneration == 2 && status.updatedNumberScheduled == 0
            })
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await cluster.pods().allSatisfy { $0.image == "agent:1" })
            let victim = try #require(try await cluster.pods().first { DaemonPod.targetNode(of: $0) == "a" })
            try await cluster.client.delete(Pod.self, victim.metadata.name ?? "", namespace: "default")
            #expect(try await eventually {
                let pods = try await cluster.pods()
                return pods.count == 2 && pods.first { DaemonPod.targetNode(of: $0) == "a" }?.image == "agent:2"
                    && pods.first { DaemonPod.targetNode(of: $0) == "b" }?.image == "agent:1"
            })
        }
    }
}

extension Manifests {
    static func daemonSet(_ name: String, nodeSelector: [String: String]? = nil) -> DaemonSet {
        var set = DaemonSet()
        set.metadata.name = name
        set.metadata.namespace = "default"
        set.spec.selector = LabelSelector(matchLabels: ["app": name])
        set.spec.template.metadata.labels = ["app": name]
        set.spec.template.spec.containers = [container(image: "\(name):1")]
        set.spec.template.spec.nodeSelector = nodeSelector
        return set
    }
}

extension TestCluster {
    func addNode(_ name: String, labels: [String: String] = [:], taints: [Taint] = []) async throws {
        var node = Node()
        node.metadata.name = name
        node.metadata.labels = labels.isEmpty ? nil : labels
        node.spec.taints = taints.isEmpty ? nil : taints
        try await client.create(node)
    }

    /// The nodes the live pods are meant for, sorted.
    func daemonPodNodes() async throws -> [String] {
        try await pods().filter { $0.metadata.deletionTimestamp == nil }.compactMap { DaemonPod.targetNode(of: $0) }.sorted()
    }
}

extension Pod {
    var image: String? { spec.containers.first?.image }
}
