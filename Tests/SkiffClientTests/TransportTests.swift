import Foundation
import SkiffAPI
import SkiffClient
import SkiffPKI
import Testing

@Suite("TLS, credentials and kubeconfig files", .serialized, .timeLimit(.minutes(2)))
struct TransportTests {
    @Test func clientCertificateAndBearerTokenAuthenticate() async throws {
        try await TestServer.with(tls: true) { client, server in
            let pki = try #require(server.pki)
            #expect(try await client.get(Namespace.self, "default").metadata.name == "default")

            let withToken = try APIClient(
                ClientConfiguration(kubeconfig: .token(TestServer.token, server: "https://127.0.0.1:\(server.port)", pki: pki)))
            #expect(try await withToken.get(Namespace.self, "default").metadata.name == "default")
            withToken.close()

            let wrongToken = try APIClient(
                ClientConfiguration(kubeconfig: .token("nope", server: "https://127.0.0.1:\(server.port)", pki: pki)))
            await #expect { try await wrongToken.get(Namespace.self, "default") } throws: { error in
                (error as! ClientError).code == 401
            }
            wrongToken.close()
        }
    }

    @Test func aServerSignedByAnotherCAIsRefused() async throws {
        try await TestServer.with(tls: true) { _, server in
            let directory = NSTemporaryDirectory() + "skiff-other-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let names = try SubjectAltNames.apiServer(hostName: nil, addresses: ["127.0.0.1"])
            let other = try ClusterPKI.loadOrCreate(directory: directory, servingNames: names)
            let client = try APIClient(
                ClientConfiguration(kubeconfig: .admin(server: "https://127.0.0.1:\(server.port)", pki: other)))
            await #expect { try await client.get(Namespace.self, "default") } throws: { error in
                (error as! ClientError).reason == .transport
            }
            client.close()
        }
    }

    @Test func kubeconfigFilesAreReadAsKubectlDoes() throws {
        let directory = NSTemporaryDirectory() + "skiff-kubeconfig-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let written = Kubeconfig(
            server: "https://127.0.0.1:6443", certificateAuthorityPEM: "CA PEM\n",
            credentials: .clientCertificate(certificatePEM: "CERT\n", privateKeyPEM: "KEY\n"))
        try written.write(to: directory + "/admin.kubeconfig")
        #expect(try KubeconfigFile.load(path: directory + "/admin.kubeconfig") == written)

        try "secret-token\n".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        let text = """
            apiVersion: v1
            kind: Config
            current-context: second
            clusters:
            - name: c1
              cluster: {server: "https://127.0.0.1:1"}
            - name: c2
              cluster: {server: "http://127.0.0.1:8080/"}
            users:
            - name: u2
              user: {tokenFile: token}
            contexts:
            - name: first
              context: {cluster: c1, user: u2}
            - name: second
              context: {cluster: c2, user: u2}
            """
        let parsed = try KubeconfigFile.parse(text, directory: directory)
        #expect(parsed.server == "http://127.0.0.1:8080/")
        #expect(parsed.credentials == .token("secret-token"))
        let configuration = try ClientConfiguration(kubeconfig: parsed)
        #expect(configuration.scheme == .http && configuration.host == "127.0.0.1" && configuration.port == 8080)
        #expect(throws: ClientError.self) { try ClientConfiguration(kubeconfig: Kubeconfig(server: "ftp://x", certificateAuthorityPEM: "", credentials: .token("t"))) }
    }

    @Test func statusBodiesBecomeTypedErrors() async throws {
        try await TestServer.with { client, _ in
            await #expect { try await client.request(.GET, "/api/v1/namespaces/default/nosuchthings") } throws: { error in
                (error as! ClientError).code == 404
            }
            var invalid = ConfigMap()
            invalid.metadata.name = "Not_Valid"
            invalid.metadata.namespace = "default"
            await #expect { try await client.create(invalid) } throws: { error in
                let error = error as! ClientError
                return error.reason == .invalid && error.code == 422 && error.status?.details?.causes?.isEmpty == false
            }
        }
    }
}
