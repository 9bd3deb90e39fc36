import SkiffAPI
import SkiffClient
import Testing

@Suite("APIClient verbs against a real API server", .serialized, .timeLimit(.minutes(2)))
struct ClientVerbTests {
    static func configMap(_ name: String, labels: [String: String] = [:], data: [String: String] = [:]) -> ConfigMap {
        var map = ConfigMap()
        map.metadata.name = name
        map.metadata.namespace = "default"
        map.metadata.labels = labels.isEmpty ? nil : labels
        map.data = data
        return map
    }

    @Test func createGetUpdateDelete() async throws {
        try await TestServer.with { client, _ in
            let created = try await client.create(Self.configMap("settings", data: ["a": "1"]))
            #expect(created.metadata.uid != nil)
            var fetched = try await client.get(ConfigMap.self, "settings", namespace: "default")
            #expect(fetched.data == ["a": "1"])

            fetched.data = ["a": "2"]
            let updated = try await client.update(fetched)
            #expect(updated.data == ["a": "2"])
            #expect(updated.metadata.resourceVersion != fetched.metadata.resourceVersion)

            // The stale resourceVersion is refused with upstream's Conflict.
            await #expect { try await client.update(fetched) } throws: { error in
                let error = error as! ClientError
                return error.isConflict && error.code == 409 && error.message.contains("the object has been modified")
            }
            await #expect { try await client.create(Self.configMap("settings")) } throws: { error in
                (error as! ClientError).reason == .alreadyExists
            }

            try await client.delete(ConfigMap.self, "settings", namespace: "default")
            await #expect { try await client.get(ConfigMap.self, "settings", namespace: "default") } throws: { error in
                let error = error as! ClientError
                return error.isNotFound && error.code == 404 && error.message == "configmaps \"settings\" not found"
            }
        }
    }

    @Test func listWithSelectorsAndPages() async throws {
        try await TestServer.with { client, _ in
            for index in 0..<5 {
                try await client.create(Self.configMap("m\(index)", labels: ["tier": index.isMultiple(of: 2) ? "even" : "odd"]))
            }
            let even = try await client.list(ConfigMap.self, namespace: "default", options: ListOptions(labelSelector: "tier=even"))
            #expect(even.items.map(\.metadata.name) == ["m0", "m2", "m4"])
            let notM1 = try await client.list(
                ConfigMap.self, namespace: "default", options: ListOptions(labelSelector: "tier in (odd)", fieldSelector: "metadata.name!=m1"))
            #expect(notM1.items.map(\.metadata.name) == ["m3"])

            let page = try await client.list(ConfigMap.self, namespace: "default", options: ListOptions(limit: 2))
            #expect(page.items.count == 2)
            #expect(page.metadata.continue?.isEmpty == false)
            let all = try await client.listAll(ConfigMap.self, namespace: "default", pageSize: 2)
            #expect(all.items.compactMap(\.metadata.name).filter { $0.hasPrefix("m") } == ["m0", "m1", "m2", "m3", "m4"])
        }
    }

    @Test func patchesOfEachTypeAndTheStatusSubresource() async throws {
        try await TestServer.with { client, _ in
            try await client.create(Self.configMap("p", data: ["a": "1"]))
            let merged = try await client.patch(
                ConfigMap.self, "p", namespace: "default", .merge, body: Array(#"{"data":{"b":"2"}}"#.utf8))
            #expect(merged.data == ["a": "1", "b": "2"])
            let patched = try await client.patch(
                ConfigMap.self, "p", namespace: "default", .json, body: Array(#"[{"op":"remove","path":"/data/a"}]"#.utf8))
            #expect(patched.data == ["b": "2"])

            var pod = Pod()
            pod.metadata.name = "web"
            pod.metadata.namespace = "default"
            var container = Container()
            container.name = "c"
            container.image = "busybox"
            pod.spec.containers = [container]
            var created = try await client.create(pod)
            created.status.message = "hello"
            let withStatus = try await client.updateStatus(created)
            #expect(withStatus.status.message == "hello")
            let strategic = try await client.patch(
                Pod.self, "web", namespace: "default", .strategicMerge,
                body: Array(#"{"status":{"conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable"}]}}"#.utf8),
                subresource: "status")
            #expect(strategic.status.conditions?.first?.reason == "Unschedulable")

            try await client.bind(pod: "web", namespace: "default", node: "n1")
            #expect(try await client.get(Pod.self, "web", namespace: "default").spec.nodeName == "n1")
            await #expect { try await client.bind(pod: "web", namespace: "default", node: "n2") } throws: { error in
                (error as! ClientError).isConflict
            }

            var options = DeleteOptions()
            options.gracePeriodSeconds = 0
            try await client.delete(Pod.self, "web", namespace: "default", options: options)
            #expect(try await eventually {
                do { _ = try await client.get(Pod.self, "web", namespace: "default"); return false } catch { return (error as? ClientError)?.isNotFound == true }
            })
        }
    }

    @Test func clusterScopedKindsHaveNoNamespaceInTheirPath() {
        #expect(Node.path(name: "n1") == "/api/v1/nodes/n1")
        #expect(Pod.path(namespace: "a b", name: "web", subresource: "binding") == "/api/v1/namespaces/a%20b/pods/web/binding")
        #expect(Lease.path(namespace: "kube-system") == "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases")
        #expect(Pod.path() == "/api/v1/pods")
    }
}
