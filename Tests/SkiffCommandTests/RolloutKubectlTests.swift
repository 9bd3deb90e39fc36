import Foundation
import Testing

/// `kubectl rollout`, `scale` and `set image` against `skiff server`, whose
/// controllers roll deployments out. No kubelet runs, so the test plays its
/// part: it marks every pod Running and Ready by patching pod status.
@Suite(.enabled(if: ClusterUnderTest.kubectl != nil, "kubectl is not on PATH"))
struct RolloutKubectlTests {
    /// Marks pods ready in the background until cancelled.
    private func markPodsReady(_ cluster: ClusterUnderTest) -> Task<Void, Never> {
        let (path, kubeconfig, cache) = (cluster.kubectlPath, cluster.kubeconfig, cluster.scratch.path + "/kube-cache")
        let kubectl = { @Sendable (arguments: [String]) async throws -> SkiffBinary.Outcome in
            try await SkiffBinary.runAsync(path, ["--kubeconfig", kubeconfig, "--cache-dir", cache] + arguments)
        }
        return Task.detached {
            let ready = #"{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}"#
            while !Task.isCancelled {
                let listing = (try? await kubectl([
                    "get", "pods", "-o", #"jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\n"}{end}"#,
                ]).stdout) ?? ""
                for line in listing.split(separator: "\n") {
                    let fields = line.split(separator: " ")
                    guard fields.count == 1 || fields[1] != "Running" else { continue }
                    _ = try? await kubectl([
                        "patch", "pod", String(fields[0]), "--subresource=status", "--type=merge", "-p", ready,
                    ])
                }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    @Test func rolloutStatusHistoryUndoScaleRestart() async throws {
        let cluster = try ClusterUnderTest()
        let marking = markPodsReady(cluster)
        defer { marking.cancel() }
        let status = ["rollout", "status", "deployment/web", "--timeout=60s"]

        try await cluster.succeed(["create", "deployment", "web", "--image=busybox:1.36", "--replicas=2"])
        #expect(try await cluster.succeed(status).hasSuffix("deployment \"web\" successfully rolled out\n"))

        try await cluster.succeed(["set", "image", "deployment/web", "busybox=busybox:1.37"])
        #expect(try await cluster.succeed(status).hasSuffix("deployment \"web\" successfully rolled out\n"))
        let history = try await cluster.succeed(["rollout", "history", "deployment/web"])
        #expect(history.contains("1 ") && history.contains("2 "), "\(history)")
        let sets = try await cluster.succeed(["get", "rs", "-o", "jsonpath={.items[*].spec.replicas}"])
        #expect(sets.split(separator: " ").sorted() == ["0", "2"], "\(sets)")

        #expect(try await cluster.succeed(["rollout", "undo", "deployment/web"]) == "deployment.apps/web rolled back\n")
        #expect(try await cluster.succeed(status).hasSuffix("deployment \"web\" successfully rolled out\n"))
        let image = try await cluster.succeed(["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
        #expect(image == "busybox:1.36")
        #expect(try await cluster.succeed(["get", "deploy", "web", "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}"]) == "3")

        #expect(try await cluster.succeed(["scale", "deployment", "web", "--replicas=3"]) == "deployment.apps/web scaled\n")
        #expect(try await cluster.succeed(status).hasSuffix("deployment \"web\" successfully rolled out\n"))
        #expect(try await cluster.succeed(["get", "deploy", "web", "-o", "jsonpath={.status.readyReplicas}"]) == "3")

        #expect(try await cluster.succeed(["rollout", "restart", "deployment/web"]) == "deployment.apps/web restarted\n")
        #expect(try await cluster.succeed(status).hasSuffix("deployment \"web\" successfully rolled out\n"))
        let afterRestart = try await cluster.succeed(["get", "rs"])
        #expect(afterRestart.split(separator: "\n").count == 4, "\(afterRestart)")

        #expect(try await cluster.succeed(["rollout", "pause", "deployment/web"]) == "deployment.apps/web paused\n")
        #expect(try await cluster.succeed(["rollout", "resume", "deployment/web"]) == "deployment.apps/web resumed\n")
        #expect(try await cluster.succeed(status).hasSuffix("deployment \"web\" successfully rolled out\n"))
    }
}
