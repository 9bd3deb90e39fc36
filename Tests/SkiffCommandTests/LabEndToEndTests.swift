import Foundation
import Testing

/// A three-node `skiff lab` driven with the real kubectl only, each test on a lab
/// of its own, checking what a user would: where pods run, rollouts, logs and
/// exec on every node, drain, a crashed server.
@Suite(
    "Three-node lab end to end", .serialized, .timeLimit(.minutes(8)), .enabled(if: isRoot, "\(needsRootForLab)"),
    .enabled(if: ClusterUnderTest.kubectl != nil, "kubectl is not on PATH"))
struct LabEndToEndTests {
    @Test func aDeploymentSpreadsOverEveryNodeScalesRollsOutAndRollsBack() async throws {
        try await LabUnderTest.with(nodes: 3) { lab in
            try await lab.succeed(["apply", "-f", "-"], input: webDeployment(replicas: 6, image: "busybox:latest"))
            try await lab.succeed(["rollout", "status", "deployment/web", "--timeout=120s"])
            let placed = try await lab.webPods()
            #expect(placed.count == 6)
            #expect(Set(placed.values) == Set(lab.nodeNames), "pods by node: \(placed)")

            // logs and exec reach pods on every node (through each node's kubelet).
            for node in lab.nodeNames {
                let pod = try #require(placed.first { $0.value == node }?.key)
                #expect(try await lab.succeed(["logs", pod]) == "serving \(pod)\n")
                #expect(try await lab.succeed(["exec", pod, "--", "cat", "/tmp/index.html"]) == pod + "\n")
            }

            try await lab.succeed(["scale", "deployment/web", "--replicas=9"])
            try await lab.succeed(["rollout", "status", "deployment/web", "--timeout=120s"])
            #expect(try await lab.eventually(["get", "deployment", "web", "-o", "jsonpath={.status.readyReplicas}"]) { $0 == "9" })
            try await lab.succeed(["scale", "deployment/web", "--replicas=3"])
            #expect(try await lab.eventually(["get", "pods", "-l", "app=web", "-o", "name"]) {
                $0.split(separator: "\n").count == 3
            })

            try await lab.succeed(["set", "image", "deployment/web", "web=busybox:v2"])
            try await lab.succeed(["rollout", "status", "deployment/web", "--timeout=120s"])
            #expect(try await lab.eventually(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"]) {
                $0.split(separator: " ") == ["busybox:v2", "busybox:v2", "busybox:v2"]
            })
            let history = try await lab.succeed(["rollout", "history", "deployment/web"])
            #expect(history.contains("1 ") && history.contains("2 "), "\(history)")
            try await lab.succeed(["rollout", "undo", "deployment/web"])
            try await lab.succeed(["rollout", "status", "deployment/web", "--timeout=120s"])
            #expect(try await lab.succeed(["get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
                == "busybox:latest")
            #expect(try await lab.eventually(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}"]) {
                $0.split(separator: " ") == ["busybox:latest", "busybox:latest", "busybox:latest"]
            })
        }
    }

    /// The lab's defaults (SQLite, nftables), and the other datastore and proxy mode.
    static let storesAndProxies: [[String]] = [[], ["--datastore", "etcd", "--proxy-mode", "iptables"]]

    @Test(arguments: storesAndProxies)
    func aClusterIPAndANodePortReachPodsOnMoreThanOneNodeFromEveryNode(_ upArguments: [String]) async throws {
        try await LabUnderTest.with(nodes: 3, upArguments: upArguments) { lab in
            try await lab.succeed(["apply", "-f", "-"], input: webDeployment(replicas: 6, image: "busybox:latest"))
            try await lab.succeed(["rollout", "status", "deployment/web", "--timeout=120s"])
            try await lab.succeed(["expose", "deployment/web", "--port=80", "--target-port=8080", "--type=NodePort"])
            let clusterIP = try await lab.succeed(["get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"])
            let nodePort = Int(try await lab.succeed(["get", "service", "web", "-o", "jsonpath={.spec.ports[0].nodePort}"])) ?? 0
            #expect((30000...32767).contains(nodePort))
            let placed = try await lab.webPods()

            // From a pod on every node, the ClusterIP answers; the answers name pods of
            // more than one node.
            var answeredBy: Set<String> = []
            for node in lab.nodeNames {
                let client = try #require(placed.first { $0.value == node }?.key)
                #expect(try await lab.until { try await lab.httpGet(from: client, (clusterIP, 80)).hasPrefix("web-") })
                for _ in 0..<8 {
                    let answer = try await lab.httpGet(from: client, (clusterIP, 80)).trimmingCharacters(in: .newlines)
                    if placed[answer] != nil { answeredBy.insert(answer) }
                }
            }
            let nodes = Set(answeredBy.compactMap { placed[$0] })
            #expect(nodes.count > 1, "answers from \(answeredBy) on \(nodes)")

            // A machine on the nodes' network reaches the NodePort on every node's address.
            try await lab.withClient { client in
                for (index, _) in lab.nodeNames.enumerated() {
                    let url = "http://10.250.0.\(10 + index):\(nodePort)/"
                    let outcome = try await SkiffBinary.runAsync(
                        "/usr/bin/nsenter", ["--net=/run/netns/\(client)", "--", "/usr/bin/curl", "-s", "-m", "5", url])
                    #expect(placed[outcome.stdout.trimmingCharacters(in: .newlines)] != nil, "\(url): \(outcome.stdout)\(outcome.stderr)")
                }
            }
            if upArguments.contains("etcd") {
                // The Service is in the lab's etcd, and the nodes' rules are iptables chains.
                let keys = try await lab.inServerNamespace(
                    ["/usr/bin/etcdctl", "--endpoints", "http://127.0.0.1:2379", "get", "/registry/services", "--prefix", "--keys-only"])
                #expect(keys.split(separator: "\n").contains("/registry/services/default/web"), "\(keys)")
                let nat = try await lab.inServerNamespace(["/usr/sbin/iptables-save", "-t", "nat"])
                #expect(nat.contains("KUBE-SERVICES") && nat.contains(clusterIP), "\(nat.prefix(2000))")
            }
        }
    }

    @Test func cordonAndDrainMovePodsOffANode() async throws {
        try await LabUnderTest.with(nodes: 3) { lab in
            try await lab.succeed(["apply", "-f", "-"], input: webDeployment(replicas: 6, image: "busybox:latest"))
            try await lab.succeed(["rollout", "status", "deployment/web", "--timeout=120s"])
            let drained = lab.nodeNames[1]
            #expect(try await lab.webPods().values.contains(drained))

            try await lab.succeed(["cordon", drained])
            #expect(try await lab.succeed(["get", "node", drained, "-o", "jsonpath={.spec.unschedulable}"]) == "true")
            let output = try await lab.succeed(["drain", drained, "--ignore-daemonsets", "--timeout=120s"])
            #expect(output.contains("node/\(drained) drained"), "\(output)")

            #expect(try await lab.eventually(["get", "deployment", "web", "-o", "jsonpath={.status.readyReplicas}"]) { $0 == "6" })
            let placed = try await lab.webPods()
            #expect(placed.count == 6 && !placed.values.contains(drained), "pods by node: \(placed)")
            try await lab.succeed(["uncordon", drained])
            #expect(try await lab.succeed(["get", "node", drained, "-o", "jsonpath={.spec.unschedulable}"]) == "")
        }
    }

    @Test func aNodeWhoseAgentDiesTurnsNotReadyAndItsPodsAreReplacedOnOtherNodes() async throws {
        // Test-sized timings: Unknown after 20 s of silence (kubelets renew their Lease
        // every 10 s), pods gone 5 s after the taint.
        let timings = ["--server-arg=--node-monitor-period=500ms", "--server-arg=--node-monitor-grace-period=20s"]
        try await LabUnderTest.with(nodes: 3, upArguments: timings) { lab in
            try await lab.succeed(["apply", "-f", "-"], input: webDeployment(replicas: 6, image: "busybox:latest", tolerationSeconds: 5))
            try await lab.succeed(["rollout", "status", "deployment/web", "--timeout=120s"])
            let lost = lab.nodeNames[2]
            let before = try await lab.webPods()
            let onLost = Set(before.filter { $0.value == lost }.keys)
            #expect(!onLost.isEmpty, "pods by node: \(before)")

            try await lab.lab(["stop", lost, "--kill"])
            let ready = "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"
            #expect(try await lab.eventually(["get", "node", lost, "-o", ready]) { $0 == "Unknown" })
            #expect(try await lab.eventually(["get", "node", lost, "-o", "jsonpath={.spec.taints[*].key}"]) {
                $0.contains("node.kubernetes.io/unreachable")
            })
            let events = try await lab.succeed(["get", "events", "--field-selector", "involvedObject.name=\(lost)"])
            #expect(events.contains("NodeNotReady"), "\(events)")

            // After their tolerationSeconds the lost node's pods are deleted (they stay
            // Terminating until their kubelet returns, as upstream), and the Deployment
            // has six Ready pods again, none on the lost node.
            #expect(try await lab.until { try await lab.webPods().keys.allSatisfy { !onLost.contains($0) } })
            #expect(try await lab.eventually(["get", "deployment", "web", "-o", "jsonpath={.status.readyReplicas}"]) { $0 == "6" })
            let after = try await lab.webPods()
            #expect(after.count == 6 && !after.values.contains(lost), "pods by node: \(after)")

            // The Service answers from the remaining pods only.
            try await lab.succeed(["expose", "deployment/web", "--port=80", "--target-port=8080"])
            let clusterIP = try await lab.succeed(["get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"])
            let client = try #require(after.first { $0.value == lab.nodeNames[0] }?.key)
            #expect(try await lab.until { try await lab.httpGet(from: client, (clusterIP, 80)).hasPrefix("web-") })
            for _ in 0..<6 {
                let answer = try await lab.httpGet(from: client, (clusterIP, 80)).trimmingCharacters(in: .newlines)
                #expect(after[answer] != nil, "answered by \(answer)")
            }

            // The node comes back: Ready again, the taint gone.
            try await lab.lab(["start", lost])
            #expect(try await lab.eventually(["get", "node", lost, "-o", ready]) { $0 == "True" })
            #expect(try await lab.eventually(["get", "node", lost, "-o", "jsonpath={.spec.taints[*].key}"]) {
                !$0.contains("node.kubernetes.io/unreachable")
            })
        }
    }

    @Test func aServerKilledAndStartedAgainLosesNothingAndLeavesPodsRunning() async throws {
        try await LabUnderTest.with(nodes: 3) { lab in
            try await lab.succeed(["create", "configmap", "kept", "--from-literal=answer=42"])
            try await lab.succeed(["apply", "-f", "-"], input: webDeployment(replicas: 3, image: "busybox:latest"))
            try await lab.succeed(["rollout", "status", "deployment/web", "--timeout=120s"])
            let containers = "jsonpath={range .items[*]}{.metadata.name}={.status.containerStatuses[0].containerID}/{.status.containerStatuses[0].restartCount};{end}"
            let before = try await lab.succeed(["get", "pods", "-l", "app=web", "-o", containers])

            try await lab.lab(["stop", lab.nodeNames[0], "--kill"])
            try await lab.lab(["start", lab.nodeNames[0]])
            #expect(try await lab.eventually(["get", "nodes", "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}"]) {
                $0 == "True True True"
            })
            #expect(try await lab.succeed(["get", "configmap", "kept", "-o", "jsonpath={.data.answer}"]) == "42")
            #expect(try await lab.succeed(["get", "pods", "-l", "app=web", "-o", containers]) == before)

            // The agents are connected again: a new pod lands on every node and runs.
            try await lab.succeed(["scale", "deployment/web", "--replicas=6"])
            try await lab.succeed(["rollout", "status", "deployment/web", "--timeout=120s"])
            #expect(try await lab.eventually(["get", "deployment", "web", "-o", "jsonpath={.status.readyReplicas}"]) { $0 == "6" })
        }
    }
}

/// A Deployment of busybox httpd pods that serve, and log, their own name.
func webDeployment(replicas: Int, image: String, tolerationSeconds: Int? = nil) -> String {
    let tolerations = tolerationSeconds.map { seconds in
        """

              tolerations:
              - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: \(seconds)}
              - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: \(seconds)}
        """
    } ?? ""
    return """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: \(replicas)
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          terminationGracePeriodSeconds: 2
          containers:
          - name: web
            image: \(image)
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "hostname > /tmp/index.html; echo serving $(hostname); exec httpd -f -p 8080 -h /tmp"]
            ports:
            - containerPort: 8080
            readinessProbe:
              tcpSocket: {port: 8080}
              periodSeconds: 1\(tolerations)
    """
}

extension LabUnderTest {
    /// The web pods that are not terminating, by name, with the node each runs on.
    func webPods() async throws -> [String: String] {
        let listing = try await succeed([
            "get", "pods", "-l", "app=web", "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.metadata.deletionTimestamp};{end}",
        ])
        // kubectl's JSONPath has no negation: drop the entries with a third field.
        let entries = listing.split(separator: ";").map { $0.split(separator: " ") }.filter { $0.count == 2 }
        return Dictionary(uniqueKeysWithValues: entries.map { (String($0[0]), String($0[1])) })
    }

    /// A namespace on the lab's bridge at 10.250.0.200, as another machine on the
    /// nodes' network, removed after `body`.
    func withClient(_ body: (String) async throws -> Void) async throws {
        let client = "skiff-\(name)-client"
        let steps = [
            ["netns", "add", client], ["-n", client, "link", "set", "lo", "up"],
            ["-n", "skiff-\(name)-net", "link", "add", "client0", "type", "veth", "peer", "name", "eth0", "netns", client],
            ["-n", "skiff-\(name)-net", "link", "set", "client0", "master", "lab0", "up"],
            ["-n", client, "addr", "add", "10.250.0.200/24", "dev", "eth0"], ["-n", client, "link", "set", "eth0", "up"],
        ]
        do {
            for step in steps {
                let outcome = try await SkiffBinary.runAsync("/usr/sbin/ip", step)
                guard outcome.status == 0 else { throw CommandTestFailure("ip \(step): \(outcome.stderr)") }
            }
            try await body(client)
        } catch {
            _ = try? await SkiffBinary.runAsync("/usr/sbin/ip", ["netns", "delete", client])
            throw error
        }
        _ = try await SkiffBinary.runAsync("/usr/sbin/ip", ["netns", "delete", client])
    }

    /// Polls `condition` every 250 ms until it holds or about 90 s pass.
    func until(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<360 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    /// What `command` prints, run in the server node's network namespace; it must succeed.
    func inServerNamespace(_ command: [String]) async throws -> String {
        let outcome = try await SkiffBinary.runAsync("/usr/bin/nsenter", ["--net=/run/netns/skiff-\(name)-server", "--"] + command)
        guard outcome.status == 0 else { throw CommandTestFailure("\(command.joined(separator: " ")): \(outcome.stderr)") }
        return outcome.stdout
    }

    /// `skiff lab ARGS` for this lab, which must succeed.
    func lab(_ arguments: [String]) async throws {
        let outcome = try await SkiffBinary.runAsync(skiff.path, ["lab"] + arguments + selection)
        guard outcome.status == 0 else { throw CommandTestFailure("skiff lab \(arguments): \(outcome.stderr)") }
    }
}
