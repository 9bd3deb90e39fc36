import Foundation
import Testing

/// The node token `skiff server` writes, on the host's loopback: no agent runs
/// here, so nothing but the API server listens, on 127.0.0.1.
@Suite(.serialized) struct NodeTokenCommandTests {
    let skiff: SkiffBinary
    let scratch: ScratchDirectory

    init() throws {
        skiff = try SkiffBinary()
        scratch = try ScratchDirectory()
    }

    var tokenPath: String { scratch.path + "/server/node-token" }

    func token() throws -> String {
        try String(contentsOfFile: tokenPath, encoding: .utf8).trimmingCharacters(in: .newlines)
    }

    @Test func theServerWritesAPinnedTokenAndKeepsIt() async throws {
        let server = try skiff.startServer(["--data-dir", scratch.path])
        let first: String
        let servedCA: String
        do {
            defer { skiff.stop(server) }
            first = try token()
            servedCA = try Curl.get(kubeconfig: scratch.path + "/server/cred/admin.kubeconfig", path: "/cacerts")
        }

        let caFile = try String(contentsOfFile: scratch.path + "/server/tls/server-ca.crt", encoding: .utf8)
        let caHash = try sha256(caFile)
        #expect(servedCA == caFile)
        #expect(first.hasPrefix("K10\(caHash)::node:"), "\(first)")
        #expect(first.count > "K10".count + 64 + "::node:".count + 30)
        #expect(try FileManager.default.attributesOfItem(atPath: tokenPath)[.posixPermissions] as? Int == 0o600)

        skiff.stop(try skiff.startServer(["--data-dir", scratch.path]))
        #expect(try token() == first, "a restart keeps the token")

        skiff.stop(try skiff.startServer(["--data-dir", scratch.path, "--token", "chosen-by-the-operator"]))
        #expect(try token() == "K10\(caHash)::node:chosen-by-the-operator")
    }

    @Test func aBadTokenStopsTheServer() async throws {
        let outcome = try SkiffBinary.runBlocking(skiff.path, ["server", "--disable-agent", "--data-dir", scratch.path, "--token", "short"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("at least 8 printable ASCII characters"), "\(outcome.stderr)")
        let plain = try SkiffBinary.runBlocking(skiff.path, ["server", "--disable-agent", "--data-dir", scratch.path, "--plain-http", "--token", "x"])
        #expect(plain.status != 0 && plain.stderr.contains("--token needs HTTPS"), "\(plain.stderr)")
    }

    func sha256(_ text: String) throws -> String {
        let outcome = try SkiffBinary.runBlocking("/usr/bin/sha256sum", [], input: text)
        return String(outcome.stdout.prefix(64))
    }
}

/// `skiff server --disable-agent` and a `skiff agent` that joins it with the
/// node token, both inside a network namespace this makes (loopback only, no
/// route out), because the agent runs real pods with real pod networking.
@Suite(.enabled(if: isRoot && ClusterUnderTest.kubectl != nil, "\(needsRootForNode), and kubectl on PATH"), .serialized)
final class AgentJoinTests {
    static let nodeName = "joined-node"
    static let server = "https://127.0.0.1:6443"
    let skiff: SkiffBinary
    let scratch: ScratchDirectory
    let namespace: String
    let cgroupParent: String
    private var processes: [Process] = []

    var kubeconfig: String { scratch.path + "/admin.kubeconfig" }
    var agentDirectory: String { scratch.path + "/agent" }

    init() throws {
        skiff = try SkiffBinary()
        scratch = try ScratchDirectory()
        let tag = UUID().uuidString.prefix(6).lowercased()
        namespace = "skiff-join-\(tag)"
        cgroupParent = "skiff-join-\(tag)"
        try Self.check("/usr/sbin/ip", ["netns", "add", namespace])
        do {
            try Self.check("/usr/sbin/ip", ["-n", namespace, "link", "set", "lo", "up"])
            let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path
            try Self.check(repository + "/scripts/build-test-image", [scratch.path + "/layout"])
            try Self.check(skiff.path, ["image", "import", scratch.path + "/layout", "--root", agentDirectory + "/runtime/images"])
            // A fresh namespace has every port free, so the server's can be fixed.
            _ = try start([
                "server", "--disable-agent", "--bind-address", "127.0.0.1", "--https-port", "6443",
                "--data-dir", scratch.path + "/data", "--write-kubeconfig", kubeconfig,
            ], until: "api server ready")
        } catch {
            tearDown()
            throw error
        }
    }

    deinit { tearDown() }

    var agentArguments: [String] {
        [
            "--node-name", Self.nodeName, "--node-ip", "127.0.0.1", "--agent-state-dir", agentDirectory,
            "--agent-run-dir", scratch.path + "/run", "--pod-log-dir", scratch.path + "/logs",
            "--cgroup-parent", cgroupParent,
        ]
    }

    @Test func anAgentJoinsWithTheTokenAndRunsAPod() async throws {
        let token = try String(contentsOfFile: scratch.path + "/data/server/node-token", encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        // --cluster-cidr reaches the agent's proxy (a range that holds the server's 10.42.0.0/16).
        let (agent, log) = try start(
            ["agent", "--server", Self.server, "--token", token, "--cluster-cidr", "10.42.0.0/15"] + agentArguments,
            until: "kubelet server ready")
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("joined: saved node credentials"))
        var proxyLine = ""
        for _ in 0..<100 where proxyLine.isEmpty {
            let text = try String(contentsOfFile: log, encoding: .utf8)
            proxyLine = text.split(separator: "\n").first { $0.contains("proxy starting") }.map(String.init) ?? ""
            if proxyLine.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(proxyLine.contains("clusterCIDR=10.42.0.0/15"), "\(proxyLine)")
        for key in ["client-kubelet.key", "serving-kubelet.key"] {
            let mode = try FileManager.default.attributesOfItem(atPath: "\(agentDirectory)/agent/\(key)")[.posixPermissions]
            #expect(mode as? Int == 0o600, "\(key)")
        }
        #expect(try eventually(["get", "node", Self.nodeName, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"]) {
            $0 == "True"
        })

        try succeed([
            "run", "web", "--image=busybox:latest", "--image-pull-policy=IfNotPresent", "--",
            "sh", "-c", "echo hello from the joined node; exec sleep 3600",
        ])
        try succeed(["wait", "--for=condition=Ready", "pod/web", "--timeout=60s"])
        #expect(try succeed(["get", "pod", "web", "-o", "jsonpath={.spec.nodeName}"]) == Self.nodeName)
        // Both go API server → kubelet over TLS: the join's serving certificate is trusted.
        #expect(try eventually(["logs", "web"]) { $0.contains("hello from the joined node") })
        #expect(try succeed(["exec", "web", "--", "sh", "-c", "echo inside $(hostname)"]) == "inside web\n")

        // A restart reuses the saved credentials; the node stays and its pod keeps running.
        stop(agent)
        let (_, again) = try start(["agent", "--server", Self.server, "--token", token] + agentArguments, until: "kubelet server ready")
        #expect(try String(contentsOfFile: again, encoding: .utf8).contains("using saved node credentials"))
        #expect(try eventually(["get", "pod", "web", "-o", "jsonpath={.status.phase}"]) { $0 == "Running" })
        #expect(try succeed(["exec", "web", "--", "echo", "still here"]) == "still here\n")
    }

    @Test func aWrongTokenIsRefusedBeforeAnythingRuns() async throws {
        let token = try String(contentsOfFile: scratch.path + "/data/server/node-token", encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        let secret = String(token.split(separator: ":").last!)
        let otherCA = "K10\(String(repeating: "0", count: 64))::node:\(secret)"
        let pinned = try inNamespace(skiff.path, ["agent", "--server", Self.server, "--token", otherCA] + agentArguments)
        #expect(pinned.status != 0)
        #expect(pinned.stderr.contains("refusing to join"), "\(pinned.stderr)")

        let badRange = try inNamespace(skiff.path, ["agent", "--server", Self.server, "--token", token, "--cluster-cidr", "10.42.0.0/33"] + agentArguments)
        #expect(badRange.status != 0)
        #expect(badRange.stderr.contains("--cluster-cidr 10.42.0.0/33 is not an IPv4 CIDR"), "\(badRange.stderr)")

        let wrongSecret = String(token.dropLast(3)) + "xyz"
        let refused = try inNamespace(skiff.path, ["agent", "--server", Self.server, "--token", wrongSecret] + agentArguments)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("401") && refused.stderr.contains("the server refused the token"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: agentDirectory + "/agent/client-kubelet.crt"))
        #expect(!FileManager.default.fileExists(atPath: agentDirectory + "/kubelet"), "no kubelet started")
    }

    // MARK: - Running things in the namespace

    /// `kubectl ARGS` in the namespace with the admin kubeconfig, which must succeed.
    @discardableResult
    func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let outcome = try kubectl(arguments)
        #expect(outcome.status == 0, "kubectl \(arguments.joined(separator: " ")): \(outcome.stderr)", sourceLocation: sourceLocation)
        return outcome.stdout
    }

    func kubectl(_ arguments: [String]) throws -> SkiffBinary.Outcome {
        try inNamespace(
            ClusterUnderTest.kubectl!,
            ["--kubeconfig", kubeconfig, "--cache-dir", scratch.path + "/kube-cache", "--request-timeout", "30s"] + arguments)
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

    func inNamespace(_ executable: String, _ arguments: [String]) throws -> SkiffBinary.Outcome {
        // nsenter joins only the network namespace; `ip netns exec` would also remount
        // /sys, hiding the cgroup hierarchy the agent nests pods in.
        try SkiffBinary.runBlocking("/usr/bin/nsenter", ["--net=/run/netns/\(namespace)", "--", executable] + arguments)
    }

    /// Starts `skiff ARGS` in the namespace, logging to a file of its own, and
    /// returns once the log shows `ready`.
    private func start(_ arguments: [String], until ready: String) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        process.arguments = ["--net=/run/netns/\(namespace)", "--", skiff.path] + arguments
        let log = scratch.path + "/\(arguments[0])-\(UUID().uuidString.prefix(6)).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        processes.append(process)
        for _ in 0..<1200 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.contains(ready) { return (process, log) }
            guard process.isRunning else { throw CommandTestFailure("skiff \(arguments[0]) exited: \(text.suffix(3000))") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw CommandTestFailure("skiff \(arguments[0]) did not log \"\(ready)\" within 60 s")
    }

    private func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    private func runtimeContainers() throws -> [String] {
        let outcome = try SkiffBinary.runBlocking(skiff.path, ["runtime", "ps", "--root", agentDirectory + "/runtime", "--cgroup-parent", cgroupParent])
        return outcome.stdout.split(separator: "\n").dropFirst().map(String.init)
    }

    /// Deletes every pod while the agent still runs (their containers stop), then
    /// stops the agent and the server (newest first), and removes the
    /// pinned-namespace mounts, the cgroups and the network namespace.
    func tearDown() {
        if processes.contains(where: \.isRunning) {
            _ = try? kubectl(["delete", "pods", "--all", "--grace-period=0", "--force", "--wait=false"])
            for _ in 0..<120 where ((try? runtimeContainers()) ?? []).count > 0 { Thread.sleep(forTimeInterval: 0.25) }
        }
        for process in processes.reversed() { stop(process) }
        processes = []
        for kind in ["netns", "ipcns", "utsns"] {
            _ = try? SkiffBinary.runBlocking("/usr/bin/umount", [scratch.path + "/run/" + kind])
        }
        _ = try? SkiffBinary.runBlocking(
            "/usr/bin/find", ["/sys/fs/cgroup", "-depth", "-type", "d", "-path", "*\(cgroupParent)*", "-exec", "rmdir", "{}", "+"])
        _ = try? SkiffBinary.runBlocking("/usr/sbin/ip", ["netns", "delete", namespace])
    }

    private static func check(_ executable: String, _ arguments: [String]) throws {
        let outcome = try SkiffBinary.runBlocking(executable, arguments)
        guard outcome.status == 0 else {
            throw CommandTestFailure("\(executable) \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stderr)")
        }
    }
}

/// curl, for one unauthenticated GET to the server a kubeconfig names.
enum Curl {
    static func get(kubeconfig: String, path: String) throws -> String {
        let text = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.contains("server: ") }),
            let url = line.split(separator: " ").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        else { throw CommandTestFailure("no server in \(kubeconfig)") }
        // -k: /cacerts is what a joining agent fetches before it can verify anything.
        let outcome = try SkiffBinary.runBlocking("/usr/bin/curl", ["-sSfk", "\(url)\(path)"])
        guard outcome.status == 0 else { throw CommandTestFailure("curl \(url)\(path): \(outcome.stderr)") }
        return outcome.stdout
    }
}
