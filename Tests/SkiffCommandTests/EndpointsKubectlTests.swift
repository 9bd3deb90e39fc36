import Foundation
import Testing

/// The endpoint slice, endpoints and namespace controllers of `skiff server`
/// seen through the real kubectl. No kubelet runs: the test writes the pod's
/// IP and Ready condition as one would.
@Suite(.enabled(if: ClusterUnderTest.kubectl != nil, "kubectl is not on PATH"))
struct EndpointsKubectlTests {
    static let manifests = """
        apiVersion: v1
        kind: Node
        metadata:
          name: node-z
          labels:
            topology.kubernetes.io/zone: zone-z
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - name: http
            port: 80
            targetPort: http
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-1
          labels:
            app: web
        spec:
          nodeName: node-z
          containers:
          - name: web
            image: busybox:1.36
            ports:
            - name: http
              containerPort: 8080
        """

    /// Polls kubectl until `check` accepts its output (about 30 s at most).
    private func eventually(
        _ cluster: ClusterUnderTest, _ arguments: [String], _ check: (String) -> Bool
    ) async throws -> String {
        var last = ""
        for _ in 0..<150 {
            last = try await cluster.kubectl(arguments).stdout
            if check(last) { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    @Test func endpointSlicesAndEndpointsFollowAPod() async throws {
        let cluster = try ClusterUnderTest()
        try await cluster.succeed(["apply", "-f", "-"], input: Self.manifests)
        let running = #"{"status":{"phase":"Running","podIP":"10.42.0.7","podIPs":[{"ip":"10.42.0.7"}],"#
            + #""conditions":[{"type":"Ready","status":"True"}]}}"#
        try await cluster.succeed(["patch", "pod", "web-1", "--subresource=status", "--type=merge", "-p", running])

        let zone = try await eventually(
            cluster, ["get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o", "jsonpath={.items[*].endpoints[*].zone}"]
        ) { $0 == "zone-z" }
        #expect(zone == "zone-z")
        let table = try await cluster.succeed(["get", "endpointslices", "-l", "kubernetes.io/service-name=web"])
        let row = table.split(separator: "\n").last.map(String.init) ?? ""
        #expect(row.hasPrefix("web-") && row.contains("IPv4") && row.contains("8080") && row.contains("10.42.0.7"), "\(table)")
        let endpoints = try await eventually(cluster, ["get", "endpoints", "web"]) { $0.contains("10.42.0.7:8080") }
        #expect(endpoints.contains("10.42.0.7:8080"), "\(endpoints)")
    }

    @Test func deletingANamespaceDeletesItsContentAndThenIt() async throws {
        let cluster = try ClusterUnderTest()
        try await cluster.succeed(["create", "namespace", "demo"])
        try await cluster.succeed(["create", "configmap", "settings", "-n", "demo", "--from-literal=a=b"])
        try await cluster.succeed(["create", "deployment", "web", "-n", "demo", "--image=busybox:1.36", "--replicas=2"])
        let pods = try await eventually(cluster, ["get", "pods", "-n", "demo", "-o", "name"]) {
            $0.split(separator: "\n").count == 2
        }
        #expect(pods.split(separator: "\n").count == 2)

        // kubectl waits until the namespace is gone.
        let deleted = try await cluster.succeed(["delete", "namespace", "demo", "--timeout=60s"])
        #expect(deleted == "namespace \"demo\" deleted\n")
        let missing = try await cluster.kubectl(["get", "namespace", "demo"])
        #expect(missing.status != 0 && missing.stderr.contains("not found"), "\(missing.stderr)")
    }
}
