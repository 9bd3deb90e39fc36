import Foundation
import SkiffAPI
import SkiffAPIServer
import SkiffClient
@testable import SkiffKubelet
import SkiffPKI
import SkiffStore
import Testing

/// The kubelet over HTTPS: client certificates from the cluster CA, and who of
/// their holders may do what. curl plays the other clients; a real API server with
/// its kubelet client certificate plays itself.
@Suite(
    "Kubelet server authentication", .serialized, .timeLimit(.minutes(2)),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "curl is not installed"))
struct ServerAuthTests {
    final class Credentials: @unchecked Sendable {
        let directory: String
        let pki: ClusterPKI

        init() throws {
            directory = NSTemporaryDirectory() + "skiff-kubelet-tls-\(UUID().uuidString.prefix(8))"
            pki = try ClusterPKI.loadOrCreate(
                directory: directory, serverNames: ["localhost"], serverAddresses: ["127.0.0.1"])
            try issue("alice", groups: ["dev"])
            try issue("root", groups: ["system:masters"])
            try issue("kube-apiserver-kubelet-client", groups: [])
            try pki.serverCAPEM.write(toFile: "\(directory)/ca.crt", atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        private func issue(_ user: String, groups: [String]) throws {
            let key = try pki.issueClientCertificate(commonName: user, organizations: groups)
            try key.certificatePEM.write(toFile: "\(directory)/\(user).crt", atomically: true, encoding: .utf8)
            try key.privateKeyPEM.write(toFile: "\(directory)/\(user).key", atomically: true, encoding: .utf8)
        }

        var serving: TLSSettings {
            TLSSettings(
                certificateChainPEM: Array(pki.servingCertificateChainPEM.utf8),
                privateKeyPEM: Array(pki.servingPrivateKeyPEM.utf8), clientCAPEM: Array(pki.clientCAPEM.utf8))
        }

        /// `(status, body)` of a GET by `user` (nil: no certificate).
        func curl(port: Int, _ path: String, as user: String?) async throws -> (Int, String) {
            var arguments = ["-s", "-o", "\(directory)/body", "-w", "%{http_code}", "--cacert", "\(directory)/ca.crt"]
            if let user { arguments += ["--cert", "\(directory)/\(user).crt", "--key", "\(directory)/\(user).key"] }
            arguments.append("https://127.0.0.1:\(port)\(path)")
            // Not waited for on this thread: the kubelet server answering it runs on the same cooperative pool.
            let code = try await runProgram("/usr/bin/curl", arguments).stdout
            let body = (try? String(contentsOfFile: "\(directory)/body", encoding: .utf8)) ?? ""
            return (Int(code) ?? 0, body)
        }
    }

    @Test func onlyTheAPIServerAndMastersGetIn() async throws {
        let credentials = try Credentials()
        let fixture = try LogFixture()
        try fixture.write(["2026-12-01T10:00:00.000000000Z stdout F secret"])
        try await withKubelet(StaticDirectory([fixture.pod]), runtime: fixture.runtime, tls: credentials.serving) { port in
            let logs = "/containerLogs/default/web/app"
            let health = try await credentials.curl(port: port, "/healthz", as: nil)
            #expect(health.0 == 200 && health.1 == "ok")
            let anonymous = try await credentials.curl(port: port, logs, as: nil)
            #expect(anonymous.0 == 401 && anonymous.1 == "Unauthorized")
            let alice = try await credentials.curl(port: port, logs, as: "alice")
            #expect(alice.0 == 403)
            #expect(alice.1 == "Forbidden (user=alice, verb=get, resource=nodes, subresource=proxy)")
            let aliceMetrics = try await credentials.curl(port: port, "/metrics", as: "alice")
            #expect(aliceMetrics.1 == "Forbidden (user=alice, verb=get, resource=nodes, subresource=metrics)")
            let apiServer = try await credentials.curl(port: port, logs, as: "kube-apiserver-kubelet-client")
            #expect(apiServer.0 == 200 && apiServer.1 == "secret\n")
            let master = try await credentials.curl(port: port, "/metrics", as: "root")
            #expect(master.0 == 200 && master.1.contains("kubelet_running_containers{container_state=\"running\"} 1"))
        }
    }

    @Test func theAPIServerReachesTheKubeletWithItsClientCertificate() async throws {
        let credentials = try Credentials()
        let fixture = try LogFixture()
        try fixture.write(["2026-12-01T10:00:00.000000000Z stdout F over tls"])
        let client = try credentials.pki.issueClientCertificate(commonName: "kube-apiserver-kubelet-client")
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = true
        configuration.kubeletClient = KubeletClientSettings(
            certificateAuthorityPEM: Array(credentials.pki.serverCAPEM.utf8),
            clientCertificateChainPEM: Array(client.certificatePEM.utf8), clientPrivateKeyPEM: Array(client.privateKeyPEM.utf8))
        try await withKubelet(StaticDirectory([fixture.pod]), runtime: fixture.runtime, tls: credentials.serving) { port in
            let api = APIServer(store: MemoryStore(), configuration: configuration)
            try await api.start()
            let http = APIHTTPServer(handler: api)
            let apiPort = try await http.start(host: "127.0.0.1", port: 0, tls: nil)
            do {
                let apiClient = try APIClient(.plainHTTP(port: apiPort))
                defer { apiClient.close() }
                try await ServerThroughAPIServerTests.register(
                    TestAPIServer(client: apiClient, port: apiPort), kubeletPort: port, pod: "web")
                let logs = try await TestHTTP.get(port: apiPort, "/api/v1/namespaces/default/pods/web/log")
                #expect(logs.status == 200)
                #expect(logs.text == "over tls\n")
            } catch {
                await http.stop(gracePeriod: .seconds(1))
                await api.stop()
                throw error
            }
            await http.stop(gracePeriod: .seconds(1))
            await api.stop()
        }
    }
}
