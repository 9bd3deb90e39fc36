import Foundation
import SkiffAPI
import SkiffPKI
import Testing

@testable import SkiffAPIServer

/// The API server reaching a kubelet over HTTPS: the kubelet's certificate
/// verified against the cluster's server CA, the API server's client certificate
/// presented, as kube-apiserver's --kubelet-certificate-authority and
/// --kubelet-client-certificate configure it.
@Suite("Kubelet proxy over TLS", .serialized, .timeLimit(.minutes(2)))
struct KubeletProxyTLSTests {
    static let pods = "/api/v1/namespaces/default/pods"

    struct Certificates {
        let pki: ClusterPKI
        let other: ClusterPKI
        let kubeletServing: CertifiedKey
        let apiServerClient: CertifiedKey

        init() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "skiff-kubelet-tls-\(UUID().uuidString)").path
            // Everything is in memory once loaded; the files are not needed after.
            defer { try? FileManager.default.removeItem(atPath: directory) }
            pki = try ClusterPKI.loadOrCreate(
                directory: directory, serverNames: ["localhost"], serverAddresses: ["127.0.0.1"])
            other = try ClusterPKI.loadOrCreate(
                directory: directory + "/other", serverNames: ["localhost"], serverAddresses: ["127.0.0.1"])
            kubeletServing = try pki.issueServingCertificate(
                commonName: "node-1", names: SubjectAltNames(ipAddresses: ["127.0.0.1"]))
            apiServerClient = try pki.issueClientCertificate(
                commonName: "kube-apiserver-kubelet-client", organizations: ["system:masters"])
        }

        /// The kubelet serves with its certificate and asks for client certificates.
        var kubeletTLS: TLSSettings {
            TLSSettings(
                certificateChainPEM: Array(kubeletServing.certificatePEM.utf8),
                privateKeyPEM: Array(kubeletServing.privateKeyPEM.utf8), clientCAPEM: Array(pki.clientCAPEM.utf8))
        }

        func client(trusting ca: ClusterPKI) -> KubeletClientSettings {
            KubeletClientSettings(
                certificateAuthorityPEM: Array(ca.serverCAPEM.utf8),
                clientCertificateChainPEM: Array(apiServerClient.certificatePEM.utf8),
                clientPrivateKeyPEM: Array(apiServerClient.privateKeyPEM.utf8))
        }
    }

    /// A TLS kubelet and an API server that reaches it trusting `ca`.
    func withKubelet(
        trusting ca: (Certificates) -> ClusterPKI, _ body: (FakeKubelet, KubeletProxyFixture) async throws -> Void
    ) async throws {
        let certificates = try Certificates()
        let kubelet = try await FakeKubelet(tls: certificates.kubeletTLS)
        do {
            let api = try await KubeletProxyFixture(
                kubeletPort: kubelet.port, kubeletClient: certificates.client(trusting: ca(certificates)))
            try await body(kubelet, api)
        } catch {
            await kubelet.stop()
            throw error
        }
        await kubelet.stop()
    }

    @Test func logsAndExecOverVerifiedTLSWithTheClientCertificate() async throws {
        try await withKubelet(trusting: \.pki) { kubelet, api in
            let logs = try await api.send("GET", "\(Self.pods)/web/log")
            #expect(logs.status == 200 && logs.text == "one\ntwo\nthree\n", "\(logs.text)")
            #expect(kubelet.identities == [ClientIdentity(user: "kube-apiserver-kubelet-client", groups: ["system:masters"])])

            try await api.withHTTP { port in
                try await RawConnection.with(port: port) { connection in
                    try await connection.send(
                        KubeletProxyExecTests.upgrade("\(Self.pods)/web/exec?command=true", protocols: "v5.channel.k8s.io"))
                    let head = String(decoding: try #require(try await connection.read(through: [13, 10, 13, 10])), as: UTF8.self)
                    #expect(head.hasPrefix("HTTP/1.1 101"))
                    #expect(try await Frames.read(&connection)?.1 == [1] + Array("true\n".utf8))
                    #expect(try await Frames.read(&connection)?.1 == [3] + KubeletProxyExecTests.status)
                }
            }
        }
    }

    @Test func aKubeletTheCADidNotSignIsRefusedUnlessTheClientSaysSkip() async throws {
        try await withKubelet(trusting: \.other) { kubelet, api in
            let refused = try await api.send("GET", "\(Self.pods)/web/log")
            #expect(refused.status == 500)
            #expect(refused.message.hasPrefix("Get \"https://127.0.0.1:\(kubelet.port)/containerLogs/default/web/app\": "))
            let exec = try await api.send("GET", "\(Self.pods)/web/exec?command=true", upgrade: true)
            #expect(exec.status == 500 && exec.message.hasPrefix("error dialing backend: "), "\(exec.message)")

            let skipped = try await api.send("GET", "\(Self.pods)/web/log?insecureSkipTLSVerifyBackend=true")
            #expect(skipped.status == 200 && skipped.text == "one\ntwo\nthree\n")
        }
    }

    @Test func badSettingsAreReported() throws {
        let certificates = try Certificates()
        var settings = certificates.client(trusting: certificates.pki)
        settings.clientPrivateKeyPEM = nil
        #expect(throws: KubeletClientSettingsError.keyWithoutCertificate) { try settings.validate() }
        try certificates.client(trusting: certificates.pki).validate()
    }
}
