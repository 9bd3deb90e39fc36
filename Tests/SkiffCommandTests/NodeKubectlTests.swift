import Foundation
import Testing

/// A one-node cluster driven as a user drives it: the real kubectl against
/// `skiff server` with its kubelet, in a network namespace of the test's own.
@Suite(.enabled(if: isRoot && ClusterUnderTest.kubectl != nil, "\(needsRootForNode), and kubectl on PATH"), .serialized)
struct NodeKubectlTests {
    @Test func runLogsExecAndDeleteAPod() async throws {
        try await NodeClusterUnderTest.with { cluster in
            try await cluster.succeed([
                "run", "web", "--image=busybox:latest", "--image-pull-policy=IfNotPresent", "--",
                "sh", "-c", "echo hello from the pod; exec sleep 3600",
            ])
            try await cluster.succeed(["wait", "--for=condition=Ready", "pod/web", "--timeout=60s"])
            #expect(try await cluster.eventually(["logs", "web"]) { $0.contains("hello from the pod") })
            #expect(try await cluster.succeed(["exec", "web", "--", "sh", "-c", "echo inside $(hostname)"]) == "inside web\n")
            #expect(try await cluster.succeed(["exec", "-i", "web", "--", "cat"], input: "piped through\n") == "piped through\n")
            let failed = try await cluster.kubectl(["exec", "web", "--", "sh", "-c", "exit 7"])
            #expect(failed.status == 7, "kubectl exec passes the exit code on: \(failed.stderr)")
            let wide = try await cluster.succeed(["get", "pod", "web", "-o", "wide"])
            #expect(wide.contains("Running") && wide.contains(NodeClusterUnderTest.nodeName), "\(wide)")
            // The node's range comes from the controller manager's node IPAM: the cluster CIDR's first /24.
            let node = NodeClusterUnderTest.nodeName
            #expect(try await cluster.succeed(["get", "node", node, "-o", "jsonpath={.spec.podCIDR}"]) == "10.42.0.0/24")
            #expect(try await cluster.succeed(["get", "pod", "web", "-o", "jsonpath={.status.podIP}"]).hasPrefix("10.42.0."))

            try await cluster.succeed(["delete", "pod", "web", "--grace-period=1"])
            #expect(try await cluster.kubectl(["get", "pod", "web"]).status != 0)
            #expect(try await cluster.runtimeContainers().isEmpty)
        }
    }

    @Test func podsKeepRunningThroughAServerCrash() async throws {
        try await NodeClusterUnderTest.with { cluster in
            try await cluster.succeed([
                "run", "steady", "--image=busybox:latest", "--image-pull-policy=IfNotPresent", "--",
                "sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done",
            ])
            try await cluster.succeed(["wait", "--for=condition=Ready", "pod/steady", "--timeout=60s"])
            let before = try await cluster.succeed(["get", "pod", "steady", "-o", "jsonpath={.status.containerStatuses[0].containerID}"])
            try await cluster.crashAndRestartServer()
            #expect(try await cluster.eventually(["get", "pod", "steady", "-o", "jsonpath={.status.phase}"]) { $0 == "Running" })
            let after = try await cluster.succeed([
                "get", "pod", "steady", "-o", "jsonpath={.status.containerStatuses[0].containerID} {.status.containerStatuses[0].restartCount}",
            ])
            #expect(after == "\(before) 0", "the same container, never restarted")
            // Logs kept flowing while the agent was down.
            let ticks = try await cluster.succeed(["logs", "steady", "--tail=1"])
            #expect(ticks.hasPrefix("tick "), "\(ticks)")
            #expect(try await cluster.runtimeContainers().count == 1)
        }
    }

    @Test func anImageThatCannotBePulledBacksOff() async throws {
        try await NodeClusterUnderTest.with { cluster in
            // Nothing listens on port 1 of loopback: the pull fails at once, and no traffic leaves the namespace.
            try await cluster.succeed(["run", "nowhere", "--image=127.0.0.1:1/nothing:v1"])
            #expect(try await cluster.eventually(["get", "pod", "nowhere"]) { $0.contains("ImagePullBackOff") || $0.contains("ErrImagePull") })
            #expect(try await cluster.eventually(["get", "pod", "nowhere"]) { $0.contains("ImagePullBackOff") })
            let described = try await cluster.succeed(["describe", "pod", "nowhere"])
            #expect(described.contains("Failed to pull image \"127.0.0.1:1/nothing:v1\""), "\(described)")
        }
    }

    @Test func describeShowsAnOOMKilledContainer() async throws {
        try await NodeClusterUnderTest.with { cluster in
            let manifest = """
                apiVersion: v1
                kind: Pod
                metadata: {name: hungry}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: busybox:latest
                    imagePullPolicy: IfNotPresent
                    command: ["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"]
                    resources: {limits: {memory: 16Mi}}
                """
            try await cluster.succeed(["apply", "-f", "-"], input: manifest)
            #expect(try await cluster.eventually(["get", "pod", "hungry", "-o", "jsonpath={.status.phase}"]) { $0 == "Failed" })
            let described = try await cluster.succeed(["describe", "pod", "hungry"])
            #expect(described.contains("OOMKilled"), "\(described)")
        }
    }

    @Test func aCrashingContainerShowsCrashLoopBackOff() async throws {
        try await NodeClusterUnderTest.with { cluster in
            try await cluster.succeed([
                "run", "crash", "--image=busybox:latest", "--image-pull-policy=IfNotPresent", "--", "sh", "-c", "exit 1",
            ])
            #expect(try await cluster.eventually(["get", "pod", "crash"]) { $0.contains("CrashLoopBackOff") })
            let events = try await cluster.succeed(["get", "events", "--field-selector", "involvedObject.name=crash"])
            #expect(events.contains("BackOff"), "\(events)")
        }
    }
}
