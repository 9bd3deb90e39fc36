import Foundation
import Testing

/// Root tests run a real one-node cluster; without root they are skipped with this reason.
let isRoot = getuid() == 0
let needsRootForNode = "needs root: runs a one-node cluster (containers, namespaces, cgroups) in a network namespace"

/// `skiff server` with its agent — a real one-node cluster — inside a network
/// namespace this makes (loopback only, no route out), the test busybox image
/// imported, and the real kubectl run inside the same namespace. Everything it
/// made is removed when ``with(_:)`` ends: pods, containers, mounts, cgroups, the
/// namespace, the directory. Nothing here blocks a thread of the cooperative
/// pool: every program runs through ``SkiffBinary/runAsync(_:_:input:)``.
final class NodeClusterUnderTest: @unchecked Sendable {
    static let nodeName = "e2e-node"
    let skiff: SkiffBinary
    let scratch: ScratchDirectory
    let namespace: String
    let cgroupParent: String
    private var server: Process?

    var kubeconfig: String { scratch.path + "/admin.kubeconfig" }
    var agentDirectory: String { scratch.path + "/agent" }

    private init() throws {
        guard ClusterUnderTest.kubectl != nil else { throw CommandTestFailure("no kubectl on PATH") }
        skiff = try SkiffBinary()
        scratch = try ScratchDirectory()
        let tag = UUID().uuidString.prefix(6).lowercased()
        namespace = "skiff-e2e-\(tag)"
        cgroupParent = "skiff-e2e-\(tag)"
    }

    /// A running cluster for `body`, torn down after it, also when it throws.
    static func with(_ body: (NodeClusterUnderTest) async throws -> Void) async throws {
        let cluster = try NodeClusterUnderTest()
        do {
            try await cluster.start()
            try await body(cluster)
        } catch {
            await cluster.tearDown()
            throw error
        }
        await cluster.tearDown()
    }

    private func start() async throws {
        try await Self.check("/usr/sbin/ip", ["netns", "add", namespace])
        try await Self.check("/usr/sbin/ip", ["-n", namespace, "link", "set", "lo", "up"])
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        try await Self.check(repository + "/scripts/build-test-image", [scratch.path + "/layout"])
        try await Self.check(skiff.path, ["image", "import", scratch.path + "/layout", "--root", agentDirectory + "/runtime/images"])
        server = try await startServer()
        try await waitForReadyNode()
    }

    /// `kubectl ARGS` inside the cluster's namespace, with the admin kubeconfig.
    @discardableResult
    func kubectl(_ arguments: [String], input: String? = nil) async throws -> SkiffBinary.Outcome {
        try await SkiffBinary.runAsync(
            "/usr/bin/nsenter",
            ["--net=/run/netns/\(namespace)", "--", ClusterUnderTest.kubectl!, "--kubeconfig", kubeconfig,
             "--cache-dir", scratch.path + "/kube-cache", "--request-timeout", "30s"] + arguments,
            input: input)
    }

    /// `kubectl ARGS`, which must succeed; returns its standard output.
    @discardableResult
    func succeed(_ arguments: [String], input: String? = nil, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> String
    {
        let outcome = try await kubectl(arguments, input: input)
        #expect(outcome.status == 0, "kubectl \(arguments.joined(separator: " ")): \(outcome.stderr)", sourceLocation: sourceLocation)
        return outcome.stdout
    }

    /// Polls `kubectl ARGS` until its output satisfies `condition` or about 60 s pass.
    func eventually(_ arguments: [String], _ condition: (String) -> Bool) async throws -> Bool {
        for _ in 0..<240 {
            let outcome = try await kubectl(arguments)
            if outcome.status == 0 && condition(outcome.stdout) { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    /// Kills the server (and its agent) with SIGKILL, as a crash would, and starts
    /// it again on the same directories.
    func crashAndRestartServer() async throws {
        if let server {
            kill(server.processIdentifier, SIGKILL)
            while server.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        }
        server = try await startServer()
        try await waitForReadyNode()
    }

    /// The runtime's containers, as `skiff runtime ps` lists them (header excluded).
    func runtimeContainers() async throws -> [String] {
        let outcome = try await SkiffBinary.runAsync(skiff.path, [
            "runtime", "ps", "--root", agentDirectory + "/runtime", "--cgroup-parent", cgroupParent,
        ])
        return outcome.stdout.split(separator: "\n").dropFirst().map(String.init)
    }

    /// Deletes every pod (their containers stop), stops the server, and removes
    /// the pinned-namespace mounts, the cgroups, the network namespace.
    private func tearDown() async {
        if let server, server.isRunning {
            _ = try? await kubectl(["delete", "pods", "--all", "--grace-period=0", "--force", "--wait=false"])
            for _ in 0..<120 where ((try? await runtimeContainers()) ?? []).count > 0 {
                try? await Task.sleep(for: .milliseconds(250))
            }
            server.terminate()
            while server.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        }
        server = nil
        for kind in ["netns", "ipcns", "utsns"] {
            _ = try? await SkiffBinary.runAsync("/usr/bin/umount", [scratch.path + "/run/" + kind])
        }
        _ = try? await SkiffBinary.runAsync(
            "/usr/bin/find", ["/sys/fs/cgroup", "-depth", "-type", "d", "-path", "*\(cgroupParent)*", "-exec", "rmdir", "{}", "+"])
        _ = try? await SkiffBinary.runAsync("/usr/sbin/ip", ["netns", "delete", namespace])
    }

    private func startServer() async throws -> Process {
        let process = Process()
        // nsenter joins only the network namespace; `ip netns exec` would also remount
        // /sys, hiding the cgroup hierarchy the agent nests pods in.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        process.arguments = [
            "--net=/run/netns/\(namespace)", "--", skiff.path, "server", "--bind-address", "127.0.0.1", "--https-port", "0",
            "--data-dir", scratch.path + "/data", "--write-kubeconfig", kubeconfig, "--node-name", Self.nodeName,
            "--agent-state-dir", agentDirectory, "--agent-run-dir", scratch.path + "/run",
            "--pod-log-dir", scratch.path + "/logs", "--cgroup-parent", cgroupParent,
        ]
        // A new log for each start, so readiness is read from this start's lines.
        let log = scratch.path + "/server-\(UUID().uuidString.prefix(6)).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        for _ in 0..<1200 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.contains("kubelet server ready") { return process }
            guard process.isRunning else { throw CommandTestFailure("skiff server exited: \(text.suffix(3000))") }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw CommandTestFailure("skiff server did not start its kubelet within 60 s")
    }

    private func waitForReadyNode() async throws {
        let ready = try await eventually(["get", "node", Self.nodeName, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]) {
            $0 == "True"
        }
        guard ready else { throw CommandTestFailure("node \(Self.nodeName) did not become Ready") }
    }

    private static func check(_ executable: String, _ arguments: [String]) async throws {
        let outcome = try await SkiffBinary.runAsync(executable, arguments)
        guard outcome.status == 0 else {
            throw CommandTestFailure("\(executable) \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stderr)")
        }
    }
}
