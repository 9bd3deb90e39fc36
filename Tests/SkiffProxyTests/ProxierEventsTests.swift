import Foundation
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

    /// A family whose every sync fails (a kernel without IPv6 NAT, say) is counted
    /// and retried; the other family's Services are programmed all the same.
    @Test func aFamilyThatCannotBeProgrammedLeavesTheOtherWorking() async throws {
        struct RefusingBackend: ProxyBackend {
            let family = IPFamily.ipv6
            func apply(_ model: ProxyModel, full: Bool, changes: ModelChanges?) async throws(ProxyError) -> SyncReport {
                throw ProxyError("nf_tables refused the ip6 table: Operation not supported", errno: EOPNOTSUPP)
            }
            func invalidate() {}
        }
        try await TestAPI.with(dualStack: true) { client in
            var configuration = Proxier.Configuration(
                nodeName: "node-a", clusterCIDRs: [IPCIDR("10.42.0.0/16")!, IPCIDR("fd42::/56")!])
            configuration.minSyncInterval = .milliseconds(20)
            configuration.retryInterval = .milliseconds(50)
            let transport = RecordingTransport()
            let backends: [any ProxyBackend] = [NFTablesBackend(transport: transport, clusterCIDR: configuration.clusterCIDRs[0]), RefusingBackend()]
            let proxier = Proxier(client: client, backends: backends, configuration: configuration)
            let running = Task { await proxier.run() }
            defer { running.cancel() }
            func programmed(_ text: String) -> Bool { transport.recorded.flatMap(BatchListing.lines).contains { $0.contains(text) } }
            func failures() -> Int {
                let line = proxier.status.prometheusText().split(separator: "\n").first { $0.hasPrefix("skiff_proxy_sync_failures_total ") }
                return line.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
            }
            for (index, name) in ["first", "second"].enumerated() {
                var service = Objects.service(name, clusterIP: "10.43.0.\(20 + index)")
                service.spec.clusterIPs = nil
                service.spec.ipFamilyPolicy = "RequireDualStack"
                _ = try await client.create(service)
                #expect(try await eventually { programmed("10.43.0.\(20 + index) . tcp . 80") }, "\(name) programmed for IPv4")
            }
            // Retried (after 50 ms, then 100 ms, doubling), and failing each time.
            #expect(try await eventually { failures() >= 2 })
            running.cancel()
            await running.value
        }
    }
}
