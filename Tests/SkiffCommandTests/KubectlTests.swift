import Foundation
import Testing

/// The real kubectl against `skiff server`, as a user drives a cluster.
@Suite(.enabled(if: ClusterUnderTest.kubectl != nil, "kubectl is not on PATH"))
struct KubectlTests {
    static let manifest = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: demo
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: demo
          labels: {app: web}
        data:
          mode: fast
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: demo
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: busybox:1.36
                command: ["httpd", "-f", "-p", "8080"]
        """

    @Test func applyGetLabelScaleDescribeDelete() async throws {
        let cluster = try ClusterUnderTest()
        let first = try await cluster.succeed(["apply", "-f", "-"], input: Self.manifest)
        #expect(first == "namespace/demo created\nconfigmap/settings created\ndeployment.apps/web created\n")
        let second = try await cluster.succeed(["apply", "-f", "-"], input: Self.manifest)
        #expect(second == "namespace/demo unchanged\nconfigmap/settings unchanged\ndeployment.apps/web unchanged\n")
        let changed = Self.manifest.replacingOccurrences(of: "mode: fast", with: "mode: slow")
        let third = try await cluster.succeed(["apply", "-f", "-"], input: changed)
        #expect(third == "namespace/demo unchanged\nconfigmap/settings configured\ndeployment.apps/web unchanged\n")
        #expect(try await cluster.succeed(["get", "configmap", "settings", "-n", "demo", "-o", "jsonpath={.data.mode}"]) == "slow")

        let names = try await cluster.succeed(["get", "deploy,cm", "-n", "demo", "-l", "app=web", "-o", "name"])
        #expect(names == "deployment.apps/web\nconfigmap/settings\n")
        let json = try await cluster.succeed(["get", "deployment", "web", "-n", "demo", "-o", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((object?["spec"] as? [String: Any])?["replicas"] as? Int == 2)
        let yaml = try await cluster.succeed(["get", "deployment", "web", "-n", "demo", "-o", "yaml"])
        #expect(yaml.contains("progressDeadlineSeconds: 600"), "the server filled defaults: \(yaml)")

        #expect(try await cluster.succeed(["label", "deployment", "web", "-n", "demo", "tier=front"]) == "deployment.apps/web labeled\n")
        #expect(try await cluster.succeed(["annotate", "deployment", "web", "-n", "demo", "owner=ops"]) == "deployment.apps/web annotated\n")
        #expect(try await cluster.succeed(["get", "deploy", "-n", "demo", "-l", "tier=front", "-o", "name"]) == "deployment.apps/web\n")
        #expect(try await cluster.succeed(["scale", "deployment", "web", "-n", "demo", "--replicas=4"]) == "deployment.apps/web scaled\n")
        #expect(try await cluster.succeed(["get", "deploy", "web", "-n", "demo", "-o", "jsonpath={.spec.replicas}"]) == "4")
        let patched = try await cluster.succeed([
            "patch", "deployment", "web", "-n", "demo", "--type", "json",
            "-p", #"[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"busybox:1.37"}]"#,
        ])
        #expect(patched == "deployment.apps/web patched\n")

        let described = try await cluster.succeed(["describe", "deployment", "web", "-n", "demo"])
        #expect(described.contains("busybox:1.37") && described.contains("Replicas:"), "\(described)")

        #expect(try await cluster.succeed(["delete", "deployment", "web", "-n", "demo", "--wait"]) == "deployment.apps \"web\" deleted\n")
        let missing = try await cluster.kubectl(["get", "deployment", "web", "-n", "demo"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains(#"deployments.apps "web" not found"#), "\(missing.stderr)")
    }

    @Test func discoveryAndApiResources() async throws {
        let cluster = try ClusterUnderTest()
        let resources = try await cluster.succeed(["api-resources", "--no-headers"])
        let lines = resources.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let pods = try #require(lines.first { $0.first == "pods" })
        #expect(pods.map(String.init) == ["pods", "po", "v1", "true", "Pod"])
        #expect(lines.contains { $0.first == "deployments" && $0.contains("apps/v1") && $0.contains("deploy") })
        let version = try await cluster.succeed(["version", "-o", "json"])
        #expect(version.contains(#""gitVersion": "v1.32.0+skiff""#), "\(version)")
    }

    @Test func strictValidationRefusesUnknownFieldsAndWritesNothing() async throws {
        let cluster = try ClusterUnderTest()
        let bad = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: typo}
            dta: {a: b}
            """
        let outcome = try await cluster.kubectl(["apply", "-f", "-"], input: bad)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains(#"strict decoding error: unknown field "dta""#), "\(outcome.stderr)")
        let after = try await cluster.kubectl(["get", "configmap", "typo"])
        #expect(after.stderr.contains("not found"))

        let huge = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"huge"},"data":{"blob":""# + String(repeating: "x", count: 4 << 20) + #""}}"#
        let tooLarge = try await cluster.kubectl(["create", "-f", "-"], input: huge)
        #expect(tooLarge.status != 0)
        #expect(tooLarge.stderr.contains("Request entity too large"), "\(tooLarge.stderr.prefix(300))")
        #expect(try await cluster.kubectl(["get", "configmap", "huge"]).stderr.contains("not found"))
        #expect(try await cluster.succeed(["get", "--raw", "/readyz"]) == "ok", "the server keeps serving")
    }
}

extension KubectlTests {
    @Test func servicesGetClusterIPsAndNodePortsThatAreFreedOnDelete() async throws {
        let cluster = try ClusterUnderTest()
        let service = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              type: NodePort
              selector: {app: web}
              ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
            """
        #expect(try await cluster.succeed(["apply", "-f", "-"], input: service) == "service/web created\n")
        let kubernetes = try await cluster.succeed(["get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}"])
        #expect(kubernetes == "10.43.0.1")
        let table = try await cluster.succeed(["get", "service", "web", "--no-headers"])
        #expect(table.contains("NodePort") && table.contains("80:30080/TCP"), "\(table)")
        let clusterIP = try await cluster.succeed(["get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"])
        #expect(clusterIP.hasPrefix("10.43.") && clusterIP != "10.43.0.1", "\(clusterIP)")

        let taken = try await cluster.kubectl(["apply", "-f", "-"], input: service.replacingOccurrences(of: "name: web", with: "name: other"))
        #expect(taken.status != 0)
        #expect(taken.stderr.contains("provided port is already allocated"), "\(taken.stderr)")

        try await cluster.succeed(["delete", "service", "web"])
        let again = try await cluster.succeed(["apply", "-f", "-"], input: service.replacingOccurrences(of: "name: web", with: "name: other"))
        #expect(again == "service/other created\n", "the node port is free again once its Service is gone")
    }
}

extension KubectlTests {
    /// kubectl's `create` subcommands send protobuf bodies.
    @Test func createSubcommandsSendProtobufTheServerReads() async throws {
        let cluster = try ClusterUnderTest()
        #expect(try await cluster.succeed(["create", "namespace", "demo"]) == "namespace/demo created\n")
        #expect(try await cluster.succeed(["create", "configmap", "settings", "-n", "demo", "--from-literal=mode=fast"])
            == "configmap/settings created\n")
        #expect(try await cluster.succeed(["create", "secret", "generic", "key", "-n", "demo", "--from-literal=token=s3cret"])
            == "secret/key created\n")
        #expect(try await cluster.succeed(["create", "deployment", "web", "-n", "demo", "--image=busybox:1.36", "--replicas=2"])
            == "deployment.apps/web created\n")
        #expect(try await cluster.succeed(["create", "service", "clusterip", "web", "-n", "demo", "--tcp=80:8080"])
            == "service/web created\n")
        #expect(try await cluster.succeed(["get", "configmap", "settings", "-n", "demo", "-o", "jsonpath={.data.mode}"]) == "fast")
        #expect(try await cluster.succeed(["get", "secret", "key", "-n", "demo", "-o", "jsonpath={.data.token}"])
            == Data("s3cret".utf8).base64EncodedString())
        let deployment = try await cluster.succeed(["get", "deployment", "web", "-n", "demo", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.strategy.rollingUpdate.maxSurge}"])
        #expect(deployment == "2 busybox:1.36 25%")
        let ports = try await cluster.succeed(["get", "service", "web", "-n", "demo", "-o", "jsonpath={.spec.ports[0].port}:{.spec.ports[0].targetPort}"])
        #expect(ports == "80:8080")
    }
}
