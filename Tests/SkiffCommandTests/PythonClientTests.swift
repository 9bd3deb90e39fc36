import Foundation
import Testing

/// The official Python client (PyPI `kubernetes`) against `skiff server`.
@Suite struct PythonClientTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Python/client_check.py").path

    static let clientInstalled: Bool = {
        (try? SkiffBinary.runBlocking("/usr/bin/env", ["python3", "-c", "import kubernetes"]).status) == 0
    }()

    @Test(.enabled(if: clientInstalled, "the Python kubernetes client is not installed (scripts/install-deps installs it)"))
    func crudPagingAndWatch() async throws {
        let skiff = try SkiffBinary()
        let scratch = try ScratchDirectory()
        let kubeconfig = scratch.path + "/admin.kubeconfig"
        let server = try skiff.startServer(["--data-dir", scratch.path, "--write-kubeconfig", kubeconfig])
        defer { skiff.stop(server) }
        let outcome = try await SkiffBinary.run("/usr/bin/env", ["python3", Self.script, kubeconfig, "pyclient"])
        #expect(outcome.status == 0 && outcome.stdout == "ok\n", "\(outcome.stdout)\(outcome.stderr)")
    }
}
