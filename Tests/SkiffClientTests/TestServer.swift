import Foundation
import SkiffAPIServer
import SkiffClient
import SkiffPKI
import SkiffStore

/// A real API server in this process on an ephemeral 127.0.0.1 port, over the
/// memory store: plain HTTP, or HTTPS with the cluster PKI and a token file.
struct TestServer {
    let port: Int
    let pki: ClusterPKI?
    static let token = "test-token-0123456789"

    /// Runs `body` with a server and a client of it, then stops both.
    static func with<T>(
        tls: Bool = false, _ body: (APIClient, TestServer) async throws -> T
    ) async throws -> T {
        var configuration = APIServer.Configuration()
        var settings: TLSSettings?
        var pki: ClusterPKI?
        var directory: String?
        if tls {
            let path = NSTemporaryDirectory() + "skiff-client-\(UUID().uuidString)"
            directory = path
            let names = try SubjectAltNames.apiServer(hostName: nil, addresses: ["127.0.0.1"])
            let loaded = try ClusterPKI.loadOrCreate(directory: path, servingNames: names)
            pki = loaded
            settings = TLSSettings(
                certificateChainPEM: Array(loaded.servingCertificateChainPEM.utf8),
                privateKeyPEM: Array(loaded.servingPrivateKeyPEM.utf8), clientCAPEM: Array(loaded.clientCAPEM.utf8))
            configuration.tokens = TokenFile(entries: [.init(token: token, user: "tester", uid: "1")])
        } else {
            configuration.plainHTTP = true
        }
        defer { if let directory { try? FileManager.default.removeItem(atPath: directory) } }
        let api = APIServer(store: MemoryStore(), configuration: configuration)
        try await api.start()
        let http = APIHTTPServer(handler: api)
        let port = try await http.start(host: "127.0.0.1", port: 0, tls: settings)
        let server = TestServer(port: port, pki: pki)
        let client = try server.client()
        do {
            let result = try await body(client, server)
            client.close()
            await http.stop(gracePeriod: .seconds(1))
            await api.stop()
            return result
        } catch {
            client.close()
            await http.stop(gracePeriod: .seconds(1))
            await api.stop()
            throw error
        }
    }

    /// Another client of the same server.
    func client() throws -> APIClient {
        if let pki { return try APIClient(try ClientConfiguration(kubeconfig: Kubeconfig.admin(server: "https://127.0.0.1:\(port)", pki: pki))) }
        return try APIClient(.plainHTTP(port: port))
    }
}

/// Polls until `condition` holds or about 20 s pass (no timing is asserted).
func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<400 {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}
