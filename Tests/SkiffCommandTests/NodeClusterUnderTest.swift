import Foundation
import Testing

/// Root tests run a real one-node cluster; without root they are skipped with this reason.
let isRoot = getuid() == 0
let needsRootForNode = "needs root: runs a one-node cluster (containers, namespaces, cgroups) in a network namespace"

/// `skiff server` with its agent — a real one-node cluster — inside a network
/// namespace this makes (loopback only, no route out), the test busybox image
/// imported, and the real kubectl run inside the same namespace. Everything it
/// made is removed by ``tearDown()``: pods, containers, mounts, cgroups, the
/// namespace, the directory.
final class NodeClusterUnderTest {
    static let nodeName = "e2e-node"
    let skiff: SkiffBinary
    let scratch: ScratchDirectory
    let namespace: String
    let cgroupParent: String
    private var server: Process?

    var kubeconfig: String { scratch.path + "/admin.kubeconfig" }
    var agentDirectory: String { scratch.path + "/agent" }

    init() throws {
        guard ClusterUnderTest.kubectl != nil else { throw CommandTestFailure("no kubectl on PATH") }
        skiff = try SkiffBinary()
        scratch = try ScratchDirectory()
        let tag = UUID().uuidString.prefix(6).lowercased()
        namespace = "skiff-e2e-\(tag)"
        cgroupParent = "skiff-e2e-\(tag)"
        try Self.check("/usr/sbin/ip", ["netns", "add", namespace])
        do {
            try Self.check("/usr/sbin/ip", ["-n", namespace, "link", "set", "lo", "up"])
            let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path
            try Self.check(repository + "/scripts/build-test-image", [scratch.path + "/layout"])
            try Self.check(skiff.path, ["image", "import", scratch.path + "/layout", "--root", agentDirectory + "/runtime/images"])
            server = try startServer()
            try waitForReadyNode()
        } catch {
            tearDown()
            throw error
        }
    }

    /// `kubectl ARGS` inside the cluster's namespace, with the admin kubeconfig.
    @discardableResult
    func kubectl(_ arguments: [String], input: String? = nil) throws -> SkiffBinary.Outcome {
        try SkiffBinary.run(
            "/usr/bin/nsenter",
            ["--net=/run/netns/\(namespace)", "--", ClusterUnderTest.kubectl!, "--kubeconfig", kubeconfig,
             "--cache-dir", scratch.path + "/kube-cache", "--request-timeout", "30s"] + arguments,
            input: input)
    }

    /// `kubectl ARGS`, which must succeed; returns its standard output.
    @discardableResult
    func succeed(_ arguments: [String], input: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> String
    {
        let outcome = try kubectl(arguments, input: input)
        #expect(outcome.status == 0, "kubectl \(arguments.joined(separator: " ")): \(outcome.stderr)", sourceLocation: sourceLocation)
        return outcome.stdout
    }

    /// Polls `kubectl ARGS` until its output satisfies `condition` or about 60 s pass.
    func eventually(_ arguments: [String], _ condition: (String) -> Bool) throws -> Bool {
        for _ in 0..<240 {
            let outcome = try kubectl(arguments)
            if outcome.status == 0 && condition(outcome.stdout) { return true }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return false
    }

    /// Kills the server (and its agent) with SIGKILL, as a crash would, and starts
    /// it again on the same directories.
    func crashAndRestartServer() throws {
        if let server {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        server = try startServer()
        try waitForReadyNode()
    }

    /// The runtime's containers, as `skiff runtime ps` lists them (header excluded).
    func runtimeContainers() throws -> [String] {
        let outcome = try skiff.run([
            "runtime", "ps", "--root", agentDirectory + "/runtime", "--cgroup-parent", cgroupParent,
        ])
        return outcome.stdout.split(separator: "\n").dropFirst().map(String.init)
    }

    /// Deletes every pod (their containers stop), stops the server, and removes
    /// the pinned-namespace mounts, the cgroups, the network namespace.
    func tearDown() {
        if let server, server.isRunning {
            _ = try? kubectl(["delete", "pods", "--all", "--grace-period=0", "--force", "--wait=false"])
            for _ in 0..<120 where ((try? runtimeContainers()) ?? []).count > 0 { Thread.sleep(forTimeInterval: 0.25) }
            server.terminate()
            server.waitUntilExit()
        }
        server = nil
        for kind in ["netns", "ipcns", "utsns"] {
            _ = try? SkiffBinary.run("/usr/bin/umount", [scratch.path + "/run/" + kind])
        }
        _ = try? SkiffBinary.run(
            "/usr/bin/find", ["/sys/fs/cgroup", "-depth", "-type", "d", "-path", "*\(cgroupParent)*", "-exec", "rmdir", "{}", "+"])
        _ = try? SkiffBinary.run("/usr/sbin/ip", ["netns", "delete", namespace])
    }

    deinit { tearDown() }

    private func startServer() throws -> Process {
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
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw CommandTestFailure("skiff server did not start its kubelet within 60 s")
    }

    private func waitForReadyNode() throws {
        let ready = try eventually(["get", "node", Self.nodeName, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]) {
            $0 == "True"
        }
        guard ready else { throw CommandTestFailure("node \(Self.nodeName) did not become Ready") }
    }

    private static func check(_ executable: String, _ arguments: [String]) throws {
        let outcome = try SkiffBinary.run(executable, arguments)
        guard outcome.status == 0 else {
            throw CommandTestFailure("\(executable) \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stderr)")
        }
    }
}
