import Foundation
import Testing

/// Authentication, watches and edits with the real kubectl.
@Suite(.enabled(if: ClusterUnderTest.kubectl != nil, "kubectl is not on PATH"))
struct KubectlAccessTests {
    @Test func bearerTokensAuthenticateAndEverythingElseIsRefused() async throws {
        let tokens = try ScratchDirectory()
        let file = tokens.path + "/tokens.csv"
        try #"s3cret,alice,1001,"devs""#.write(toFile: file, atomically: true, encoding: .utf8)
        let cluster = try ClusterUnderTest(["--token-auth-file", file])
        let server = try await cluster.succeed(["config", "view", "--raw", "-o", "jsonpath={.clusters[0].cluster.server}"])
        let ca = cluster.scratch.path + "/server/tls/server-ca.crt"
        let tokenConfig = cluster.scratch.path + "/token.kubeconfig"
        func asUser(_ token: String, _ arguments: [String]) async throws -> SkiffBinary.Outcome {
            try await SkiffBinary.run(cluster.kubectlPath, ["config", "--kubeconfig", tokenConfig, "set-credentials", "u", "--token", token])
            return try await SkiffBinary.run(cluster.kubectlPath, ["--kubeconfig", tokenConfig, "--cache-dir", cluster.scratch.path + "/token-cache"] + arguments)
        }
        for command in [
            ["set-cluster", "c", "--server", server, "--certificate-authority", ca],
            ["set-context", "c", "--cluster", "c", "--user", "u"], ["use-context", "c"],
        ] {
            try await SkiffBinary.run(cluster.kubectlPath, ["config", "--kubeconfig", tokenConfig] + command)
        }
        let asAlice = try await asUser("s3cret", ["get", "namespaces", "-o", "name"])
        #expect(asAlice.status == 0 && asAlice.stdout.contains("namespace/default"), "\(asAlice.stderr)")
        let wrong = try await asUser("guess", ["get", "namespaces"])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("You must be logged in to the server"), "\(wrong.stderr)")
        let anonymous = try await SkiffBinary.run("/usr/bin/env", ["curl", "-s", "--cacert", ca, server + "/api/v1/namespaces"])
        #expect(anonymous.stdout.contains(#""code":401"#), "\(anonymous.stdout)")
        let health = try await SkiffBinary.run("/usr/bin/env", ["curl", "-s", "--cacert", ca, server + "/readyz"])
        #expect(health.stdout == "ok")
    }

    @Test func getWatchSeesChangesAsTheyHappen() async throws {
        let cluster = try ClusterUnderTest()
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: cluster.kubectlPath)
        watcher.arguments = ["--kubeconfig", cluster.kubeconfig, "--cache-dir", cluster.scratch.path + "/watch-cache",
                             "get", "configmaps", "-w", "--output-watch-events", "--request-timeout", "0"]
        let output = Pipe()
        watcher.standardOutput = output
        watcher.standardError = FileHandle.nullDevice
        try watcher.run()
        defer { watcher.terminate(); watcher.waitUntilExit() }
        try await Task.sleep(for: .seconds(1))
        try await cluster.succeed(["create", "-f", "-"], input: "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"seen\"}}")
        try await cluster.succeed(["label", "configmap", "seen", "step=2"])
        try await cluster.succeed(["delete", "configmap", "seen"])

        var text = ""
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, text.components(separatedBy: "seen").count < 4 {
            text += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        }
        let events = text.split(separator: "\n").filter { $0.contains("seen") }.map { $0.split(separator: " ").first ?? "" }
        #expect(events == ["ADDED", "MODIFIED", "DELETED"], "\(text)")
    }

    @Test func editPatchesWhatTheEditorChanged() async throws {
        let cluster = try ClusterUnderTest()
        try await cluster.succeed(["apply", "-f", "-"], input: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"mode":"fast"}}"#)
        let editor = cluster.scratch.path + "/editor.sh"
        try "#!/bin/sh\nsed -i 's/mode: fast/mode: slow/' \"$1\"\n".write(toFile: editor, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor)
        let edited = try await SkiffBinary.run(
            "/usr/bin/env",
            ["KUBE_EDITOR=\(editor)", cluster.kubectlPath, "--kubeconfig", cluster.kubeconfig,
             "--cache-dir", cluster.scratch.path + "/kube-cache", "edit", "configmap", "settings"])
        #expect(edited.status == 0 && edited.stdout == "configmap/settings edited\n", "\(edited.stderr)")
        #expect(try await cluster.succeed(["get", "configmap", "settings", "-o", "jsonpath={.data.mode}"]) == "slow")
    }
}
