import SkiffAPI
import SkiffClient
import SkiffProxy
import Testing

/// The proxier against a real API server in this process, sending its batches to a
/// recording transport: no kernel, no root.
@Suite struct ProxierEventsTests {
    @Test func whatAServiceAsksThatCannotBeProgrammedBecomesAWarningEventOnIt() async throws {
        try await TestAPI.with { client in
            var configuration = Proxier.Configuration(nodeName: "node-a", clusterCIDR: IPCIDR("10.42.0.0/16")!)
            configuration.minSyncInterval = .milliseconds(20)
            let transport = RecordingTransport()
            let proxier = Proxier(client: client, transport: transport, configuration: configuration)
            let running = Task { await proxier.run() }
            defer { running.cancel() }

            _ = try await client.create(Objects.service("six", clusterIP: "10.43.0.10") { $0.externalIPs = ["fd00::1"] })
            // b's external IP is a's cluster IP and port: a comes first by name and keeps it.
            _ = try await client.create(Objects.service("a", clusterIP: "10.43.0.11"))
            _ = try await client.create(Objects.service("b", clusterIP: "10.43.0.12") { $0.externalIPs = ["10.43.0.11"] })
            func warning(_ service: String, _ reason: String) async throws -> Event? {
                try await client.list(Event.self, namespace: "default").items.first {
                    $0.involvedObject.name == service && $0.reason == reason && $0.type == "Warning"
                }
            }
            #expect(try await eventually { try await warning("six", "UnsupportedAddress") != nil })
            let six = try #require(try await warning("six", "UnsupportedAddress"))
            #expect(six.message == "external address fd00::1 is IPv6; this node's proxy programs IPv4 only")
            #expect(six.source.component == "kube-proxy")
            #expect(six.involvedObject.kind == "Service")
            #expect(try await eventually { try await warning("b", "FrontendInUse") != nil })
            #expect(try await warning("b", "FrontendInUse")?.message == "10.43.0.11 . tcp . 80 is already used by service default/a")
            #expect(try await warning("a", "FrontendInUse") == nil)
            // The rest of each Service is programmed: six's cluster IP among them.
            #expect(try await eventually {
                transport.recorded.flatMap(BatchListing.lines).contains { $0.contains("10.43.0.10 . tcp . 80") }
            })
            running.cancel()
            await running.value
        }
    }
}
