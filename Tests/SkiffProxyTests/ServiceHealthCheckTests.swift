import SkiffAPI
import SkiffClient
import SkiffProxy
import Testing

/// Health-check NodePorts through the proxier, against an in-process API server
/// (which allocates the port), bound on loopback: no kernel rules, no root.
@Suite struct ServiceHealthCheckTests {
    /// (HTTP status, body) of a GET on loopback; status 0 when nothing listens.
    func get(_ port: Int32, host: String = "127.0.0.1") async throws -> (Int, String) {
        let result = try await runProgram("/usr/bin/curl", ["-sg", "-m", "5", "-w", "\n%{http_code}", "http://\(host):\(port)/healthz"])
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    @Test func aLocalLoadBalancerServiceAnswersWhetherThisNodeHasItsEndpoints() async throws {
        try await TestAPI.with { client in
            var configuration = Proxier.Configuration(nodeName: "node-a", clusterCIDR: IPCIDR("10.42.0.0/16")!)
            configuration.minSyncInterval = .milliseconds(20)
            configuration.healthCheckHost = "127.0.0.1"
            let proxier = Proxier(client: client, transport: RecordingTransport(), configuration: configuration)
            let running = Task { await proxier.run() }
            defer { running.cancel() }

            let service = try await client.create(Objects.service("lb", clusterIP: "10.43.0.20") {
                $0.type = ServiceType.loadBalancer
                $0.externalTrafficPolicy = "Local"
            })
            let port = try #require(service.spec.healthCheckNodePort, "the API server allocates it")
            let slice = try await client.create(Objects.slice(for: "lb", [.init(ip: "10.42.0.5"), .init(ip: "10.42.1.5", node: "node-b")]))
            #expect(try await eventually { try await get(port).0 == 200 })
            #expect(try await get(port).1 == #"{"service":{"namespace":"default","name":"lb"},"localEndpoints":1,"serviceProxyHealthy":true}"#)

            var elsewhere = slice
            elsewhere.endpoints = [Objects.slice(for: "lb", [.init(ip: "10.42.1.5", node: "node-b")]).endpoints[0]]
            _ = try await client.update(elsewhere)
            #expect(try await eventually { try await get(port).0 == 503 })
            #expect(try await get(port).1.contains(#""localEndpoints":0"#))

            try await client.delete(Service.self, "lb", namespace: "default")
            #expect(try await eventually { try await get(port).0 == 0 }, "the port closes with its Service")
            running.cancel()
            await running.value
        }
    }

    /// A dual-stack node: one health check for a dual-stack Service, counting the
    /// endpoints of either family's slices, on an IPv6 address.
    @Test func aDualStackServiceHasOneHealthCheckOverBothFamilies() async throws {
        try await TestAPI.with(dualStack: true) { client in
            var configuration = Proxier.Configuration(
                nodeName: "node-a", clusterCIDRs: [IPCIDR("10.42.0.0/16")!, IPCIDR("fd42::/56")!])
            configuration.minSyncInterval = .milliseconds(20)
            configuration.healthCheckHost = "::1"
            let proxier = Proxier(client: client, transport: RecordingTransport(), configuration: configuration)
            let running = Task { await proxier.run() }
            defer { running.cancel() }

            var service = Objects.service("lb", clusterIP: "") {
                $0.type = ServiceType.loadBalancer
                $0.externalTrafficPolicy = "Local"
                $0.ipFamilyPolicy = "RequireDualStack"
            }
            service.spec.clusterIP = nil
            service.spec.clusterIPs = nil
            let port = try #require(try await client.create(service).spec.healthCheckNodePort)
            // Only the IPv6 slice has this node's endpoint.
            _ = try await client.create(Objects.slice(for: "lb", [.init(ip: "10.42.1.5", node: "node-b")], name: "lb-v4"))
            _ = try await client.create(Objects.slice(for: "lb", [.init(ip: "fd42:0:0:1::5")], name: "lb-v6", addressType: "IPv6"))
            #expect(try await eventually { try await get(port, host: "[::1]").0 == 200 })
            #expect(try await get(port, host: "[::1]").1.contains(#""localEndpoints":1"#))
            running.cancel()
            await running.value
        }
    }
}
