import Foundation
import Testing

let needsRootForLab = "needs root: runs a multi-node lab (network namespaces, containers, cgroups)"

/// A `skiff lab` brought up by the test with its own name and root directory,
/// the test busybox image loaded into every node, kubectl on the host through
/// the lab's relay, and `skiff lab down` at the end, also when the test throws.
final class LabUnderTest: @unchecked Sendable {
    let skiff: SkiffBinary
    let scratch: ScratchDirectory
    let name: String
    let nodes: Int

    var root: String { scratch.path + "/labs" }
    var kubeconfig: String { root + "/" + name + "/kubeconfig" }
    var selection: [String] { ["--name", name, "--root", root] }
    var nodeNames: [String] { [name + "-server"] + (1..<nodes).map { "\(name)-node\($0)" } }

    private init(nodes: Int) throws {
        guard ClusterUnderTest.kubectl != nil else { throw CommandTestFailure("no kubectl on PATH") }
        skiff = try SkiffBinary()
        scratch = try ScratchDirectory()
        name = "t" + UUID().uuidString.prefix(6).lowercased()
        self.nodes = nodes
    }

    static func with(nodes: Int, upArguments: [String] = [], _ body: (LabUnderTest) async throws -> Void) async throws {
        let lab = try LabUnderTest(nodes: nodes)
        do {
            try await lab.up(upArguments)
            try await body(lab)
        } catch {
            do { try await lab.down() } catch let downError { Issue.record(downError, "skiff lab down after a failure") }
            throw error
        }
        try await lab.down()
    }

    private func up(_ arguments: [String]) async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        try await check(repository + "/scripts/build-test-image", [scratch.path + "/layout"])
        try await check(skiff.path, ["lab", "up", "--nodes", String(nodes)] + selection + arguments)
        try await check(skiff.path, ["lab", "load-image", scratch.path + "/layout"] + selection)
    }

    func down() async throws {
        try await check(skiff.path, ["lab", "down"] + selection)
    }

    /// `kubectl ARGS` on the host, with the lab's kubeconfig.
    @discardableResult
    func kubectl(_ arguments: [String], input: String? = nil) async throws -> SkiffBinary.Outcome {
        try await SkiffBinary.runAsync(
            ClusterUnderTest.kubectl!,
            ["--kubeconfig", kubeconfig, "--cache-dir", scratch.path + "/kube-cache", "--request-timeout", "30s"] + arguments,
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

    /// Polls `kubectl ARGS` until its output satisfies `condition` or `attempts` × 250 ms pass.
    func eventually(_ arguments: [String], attempts: Int = 360, _ condition: (String) -> Bool) async throws -> Bool {
        for _ in 0..<attempts {
            let outcome = try await kubectl(arguments)
            if outcome.status == 0 && condition(outcome.stdout) { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    /// An HTTP GET from inside a pod with busybox nc (busybox-static's wget
    /// crashes): the response body, or the error output.
    func httpGet(from pod: String, _ url: (host: String, port: Int), path: String = "/") async throws -> String {
        let request = "printf 'GET \(path) HTTP/1.0\\r\\n\\r\\n' | nc -w 5 \(url.host) \(url.port)"
        let outcome = try await kubectl(["exec", pod, "--", "sh", "-c", request])
        guard let body = outcome.stdout.range(of: "\r\n\r\n") else { return outcome.stdout + outcome.stderr }
        return String(outcome.stdout[body.upperBound...])
    }

    private func check(_ executable: String, _ arguments: [String]) async throws {
        let outcome = try await SkiffBinary.runAsync(executable, arguments)
        guard outcome.status == 0 else {
            throw CommandTestFailure(
                "\(executable) \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.stdout)\(outcome.stderr)")
        }
    }
}
