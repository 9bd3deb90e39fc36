import Foundation
import Testing

/// A `skiff server` on a free loopback port with its own data directory, and the
/// real kubectl pointed at it through the admin kubeconfig the server wrote.
final class ClusterUnderTest {
    let skiff: SkiffBinary
    let scratch: ScratchDirectory
    let server: Process
    let kubectlPath: String

    var kubeconfig: String { scratch.path + "/admin.kubeconfig" }

    /// The kubectl on PATH, or nil: tests then skip, saying why.
    static let kubectl: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/kubectl" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    init(_ extraArguments: [String] = []) throws {
        guard let kubectl = Self.kubectl else { throw CommandTestFailure("no kubectl on PATH") }
        kubectlPath = kubectl
        skiff = try SkiffBinary()
        scratch = try ScratchDirectory()
        server = try skiff.startServer(
            ["--data-dir", scratch.path, "--write-kubeconfig", scratch.path + "/admin.kubeconfig"] + extraArguments)
    }

    deinit { skiff.stop(server) }

    /// Runs `kubectl ARGS` with the admin kubeconfig and a discovery cache of its own,
    /// without holding a thread of the cooperative pool.
    @discardableResult
    func kubectl(_ arguments: [String], input: String? = nil) async throws -> SkiffBinary.Outcome {
        try await SkiffBinary.runAsync(
            kubectlPath,
            ["--kubeconfig", kubeconfig, "--cache-dir", scratch.path + "/kube-cache", "--request-timeout", "20s"]
                + arguments, input: input)
    }

    /// `kubectl ARGS`, which must succeed; returns its standard output.
    @discardableResult
    func succeed(_ arguments: [String], input: String? = nil, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> String
    {
        let outcome = try await kubectl(arguments, input: input)
        #expect(
            outcome.status == 0, "kubectl \(arguments.joined(separator: " ")): \(outcome.stderr)",
            sourceLocation: sourceLocation)
        return outcome.stdout
    }
}
