import Foundation
import SkiffAPI
import SkiffPKI
import SkiffStore
import Synchronization
import Testing
import X509

@testable import SkiffAPIServer

/// `/cacerts` and `/v1-skiff/node-credentials` on a real API server over TLS,
/// driven by curl on 127.0.0.1.
@Suite("Node join routes", .serialized, .timeLimit(.minutes(2)), .enabled(if: Curl.available, "needs /usr/bin/curl"))
struct NodeJoinTests {
    static let secret = "join-secret-0123456789"
    static let credentialsPath = "/v1-skiff/node-credentials"

    /// Who each request reached the API server as (nil: no client certificate).
    final class Identities: Sendable {
        private let seen = Mutex<[String: ClientIdentity?]>([:])
        func record(_ request: APIRequest) { seen.withLock { $0[request.path] = .some(request.peerIdentity) } }
        func of(_ path: String) -> ClientIdentity?? { seen.withLock { $0[path] } }
    }

    /// An API server with the fixture's PKI and the join secret, over TLS on an
    /// ephemeral loopback port.
    func withJoinServer(_ body: (_ port: Int, _ tls: TLSFixture, _ identities: Identities) async throws -> Void)
        async throws
    {
        let tls = try TLSFixture.make()
        var configuration = APIServer.Configuration()
        configuration.nodeJoin = NodeJoin(pki: tls.pki, secret: Self.secret)
        let api = APIServer(store: MemoryStore(), configuration: configuration)
        try await api.start()
        let identities = Identities()
        do {
            try await withServer(tls: tls.settings, { request in
                identities.record(request)
                return await api.handle(request)
            }) { port, _ in try await body(port, tls, identities) }
        } catch {
            await api.stop()
            throw error
        }
        await api.stop()
    }

    /// POSTs a credentials request as curl, trusting the server CA.
    func post(_ port: Int, _ tls: TLSFixture, body: String, user: String? = "node:\(secret)") async throws -> CurlResponse {
        var arguments = [
            "--cacert", tls.caCertificate, "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body,
        ]
        if let user { arguments += ["-u", user] }
        return try await Curl.request(arguments + ["https://127.0.0.1:\(port)\(Self.credentialsPath)"])
    }

    @Test func cacertsIsPublicAndIsTheCATheTokenPins() async throws {
        try await withJoinServer { port, tls, _ in
            // -k: a joining agent cannot verify the server yet; the hash checks the answer.
            let response = try await Curl.request(["-k", "https://127.0.0.1:\(port)/cacerts"])
            #expect(response.statusCode == 200, "\(response.error)")
            #expect(response.text == tls.pki.serverCAPEM)
            let token = JoinToken(caCertificatesPEM: tls.pki.serverCAPEM, secret: Self.secret)
            #expect(token.pins(caCertificatesPEM: response.text))
            #expect(!token.pins(caCertificatesPEM: tls.pki.clientCAPEM))

            let post = try await Curl.request(["-k", "-X", "POST", "https://127.0.0.1:\(port)/cacerts"])
            #expect(post.statusCode == 405)
            // The API itself still needs credentials.
            let nodes = try await Curl.request(["-k", "https://127.0.0.1:\(port)/api/v1/nodes"])
            #expect(nodes.statusCode == 401)
        }
    }

    @Test func anythingButTheNodeSecretIs401() async throws {
        try await withJoinServer { port, tls, _ in
            let body = #"{"nodeName":"node-1","addresses":["10.0.0.5"]}"#
            for user in ["node:wrong-secret", "node:\(Self.secret)x", "server:\(Self.secret)", "node:", nil] {
                let response = try await post(port, tls, body: body, user: user)
                #expect(response.statusCode == 401, "\(user ?? "no credentials")")
                #expect(response.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
                #expect(response.json?["reason"] as? String == "Unauthorized")
            }
            let bearer = try await Curl.request([
                "--cacert", tls.caCertificate, "-X", "POST", "-H", "Authorization: Bearer \(Self.secret)",
                "--data-binary", body, "https://127.0.0.1:\(port)\(Self.credentialsPath)",
            ])
            #expect(bearer.statusCode == 401)
            let get = try await Curl.request(["--cacert", tls.caCertificate, "-u", "node:\(Self.secret)",
                                              "https://127.0.0.1:\(port)\(Self.credentialsPath)"])
            #expect(get.statusCode == 405)
        }
    }

    @Test func badRequestsAre400WithTheReason() async throws {
        let cases: [(body: String, message: String)] = [
            (#"{"nodeName":"Node_1","addresses":["10.0.0.5"]}"#, #"nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain"#),
            (#"{"nodeName":"a..b","addresses":["10.0.0.5"]}"#, #"nodeName: Invalid value: "a..b""#),
            (#"{"addresses":["10.0.0.5"]}"#, "nodeName: Required value"),
            (#"{"nodeName":"node-1","addresses":[]}"#, "addresses: Required value"),
            (#"{"nodeName":"node-1","addresses":["10.0.0.300"]}"#, #"addresses[0]: Invalid value: "10.0.0.300": must be a valid IP address"#),
            (#"{"nodeName":"node-1","addresses":["10.0.0.5","node-1.example"]}"#, #"addresses[1]: Invalid value: "node-1.example""#),
            (#"{"nodeName":"node-1","addresses":["fe80::1"]}"#, "link-local"),
            (#"{"nodeName":"node-1","addresses":["10.0.0.5"],"role":"admin"}"#, #"unknown field "role""#),
            ("not json", "invalid node credentials request: "),
        ]
        try await withJoinServer { port, tls, _ in
            for (body, message) in cases {
                let response = try await post(port, tls, body: body)
                #expect(response.statusCode == 400, "\(body)")
                let text = response.json?["message"] as? String ?? ""
                #expect(text.contains(message), "\(body): \(text)")
            }
        }
    }

    @Test func issuedCertificatesChainToTheRightCAsAndNameTheNode() async throws {
        try await withJoinServer { port, tls, _ in
            let response = try await post(port, tls, body: #"{"nodeName":"node-1","addresses":["10.0.0.5","fd00::5"]}"#)
            #expect(response.statusCode == 200, "\(response.text)")
            let credentials = try JSONCodec.decode(NodeCredentials.self, from: response.body)
            #expect(credentials.serverCA == tls.pki.serverCAPEM)
            #expect(credentials.clientCA == tls.pki.clientCAPEM)

            let client = try Certificate(pemEncoded: credentials.clientCertificate)
            #expect(tls.pki.clientCA.signed(client))
            #expect(!tls.pki.serverCA.signed(client))
            #expect(ClientIdentity.from(certificate: client) == ClientIdentity(user: "system:node:node-1", groups: ["system:nodes"]))
            #expect(try client.extensions.extendedKeyUsage?.contains(.clientAuth) == true)

            let serving = try Certificate(pemEncoded: credentials.servingCertificate)
            #expect(tls.pki.serverCA.signed(serving))
            #expect(!tls.pki.clientCA.signed(serving))
            let names = try SubjectAltNames(certificate: serving)
            #expect(names.dnsNames == ["node-1", "localhost"])
            #expect(names.ipAddresses.map(\.description) == ["10.0.0.5", "fd00::5", "127.0.0.1"])
            #expect(try serving.extensions.extendedKeyUsage?.contains(.serverAuth) == true)

            #expect(credentials.problem(nodeName: "node-1", addresses: ["10.0.0.5"]) == nil)
            #expect(credentials.problem(nodeName: "node-2", addresses: ["10.0.0.5"]) != nil)
        }
    }

    @Test func theKubeletClientCertificateAuthenticatesAsTheNode() async throws {
        try await withJoinServer { port, tls, identities in
            let response = try await post(port, tls, body: #"{"nodeName":"node-1","addresses":["127.0.0.1"]}"#)
            let credentials = try JSONCodec.decode(NodeCredentials.self, from: response.body)
            let certificate = tls.directory + "/client-kubelet.crt"
            let key = tls.directory + "/client-kubelet.key"
            try credentials.clientCertificate.write(toFile: certificate, atomically: true, encoding: .utf8)
            try credentials.clientKey.write(toFile: key, atomically: true, encoding: .utf8)

            let nodes = try await Curl.request([
                "--cacert", tls.caCertificate, "--cert", certificate, "--key", key, "https://127.0.0.1:\(port)/api/v1/nodes",
            ])
            #expect(nodes.statusCode == 200, "\(nodes.error) \(nodes.text)")
            #expect(identities.of("/api/v1/nodes") == .some(ClientIdentity(user: "system:node:node-1", groups: ["system:nodes"])))
        }
    }

    @Test func theKubeletServingCertificateIsTrustedThroughTheServerCA() async throws {
        let tls = try TLSFixture.make()
        let credentials = try NodeCredentials.issue(pki: tls.pki, nodeName: "node-1", addresses: ["127.0.0.1"])
        let kubelet = TLSSettings(
            certificateChainPEM: Array(credentials.servingCertificate.utf8),
            privateKeyPEM: Array(credentials.servingKey.utf8), clientCAPEM: Array(credentials.clientCA.utf8))
        try await withServer(tls: kubelet, { request in
            APIResponse(contentType: "text/plain", body: Array((request.peerIdentity?.user ?? "anonymous").utf8))
        }) { port, _ in
            // The API server's kubelet client: server CA trusted, a client-CA certificate shown.
            let response = try await Curl.request([
                "--cacert", tls.caCertificate, "--cert", tls.clientCertificate, "--key", tls.clientKey,
                "https://127.0.0.1:\(port)/healthz",
            ])
            #expect(response.statusCode == 200, "\(response.error)")
            #expect(response.text == "alice")
        }
    }

    @Test func withoutNodeJoinThePathsAreNotServed() async throws {
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = true
        let api = APIServer(store: MemoryStore(), configuration: configuration)
        try await api.start()
        let cacerts = await api.handle(APIRequest(method: "GET", target: "/cacerts"))
        let credentials = await api.handle(APIRequest(
            method: "POST", target: Self.credentialsPath,
            headers: APIHeaders([("Authorization", "Basic " + Data("node:\(Self.secret)".utf8).base64EncodedString())]),
            body: Array(#"{"nodeName":"node-1","addresses":["10.0.0.5"]}"#.utf8)))
        await api.stop()
        #expect(cacerts.status == 404)
        #expect(credentials.status == 404)
    }
}
