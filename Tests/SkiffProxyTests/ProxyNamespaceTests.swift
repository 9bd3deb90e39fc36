import Foundation
import SkiffAPI
import SkiffClient
import SkiffProxy
import Testing

/// The whole proxy against a real API server, programming nftables in a node
/// namespace that a client namespace and three pod namespaces hang off.
@Suite("Proxy in network namespaces", .serialized, .timeLimit(.minutes(5)), .enabled(if: isRoot, "\(needsRoot)"))
struct ProxyNamespaceTests {
    /// Runs `body` with a lab, a proxier programming its node and an API client.
    func withProxy(_ body: (NetworkLab, APIClient) async throws -> Void) async throws {
        try await NetworkLab.with(pods: 3) { lab in
            try await TestAPI.with { client in
                var configuration = Proxier.Configuration(nodeName: "node-a", clusterCIDR: IPv4CIDR("10.42.0.0/16")!)
                configuration.minSyncInterval = .milliseconds(20)
                let proxier = Proxier(
                    client: client, transport: try NetfilterSocket(namespacePath: lab.nodeNamespacePath),
                    configuration: configuration)
                let running = Task { await proxier.run() }
                defer { running.cancel() }
                try await body(lab, client)
                running.cancel()
                await running.value
            }
        }
    }

    func endpoints(_ lab: NetworkLab, _ pods: [Int]) -> [Objects.EP] { pods.map { Objects.EP(ip: lab.podIP($0)) } }

    /// Which pods answer `count` requests to `url`.
    func answers(_ lab: NetworkLab, _ url: String, count: Int, from namespace: String? = nil) async throws -> [String: Int] {
        var seen: [String: Int] = [:]
        for _ in 0..<count { seen[try await lab.get(url, from: namespace), default: 0] += 1 }
        return seen
    }

    @Test func clusterIPAndNodePortSpreadOverEndpointsAndFollowChanges() async throws {
        try await withProxy { lab, client in
            _ = try await client.create(Objects.service("web", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)]))
            let slice = try await client.create(Objects.slice(for: "web", endpoints(lab, [1, 2, 3])))
            #expect(try await eventually { try await lab.get("http://10.43.0.10/").hasPrefix(lab.prefix) })

            let spread = try await answers(lab, "http://10.43.0.10/", count: 60)
            #expect(Set(spread.keys) == Set((1...3).map(lab.pod)), "answers: \(spread)")
            // Even would be 20 each; 5 is far outside what random choice gives.
            #expect(spread.values.allSatisfy { $0 >= 5 }, "answers: \(spread)")

            let viaNodePort = try await answers(lab, "http://\(lab.nodeIP):30080/", count: 30)
            #expect(Set(viaNodePort.keys).isSubset(of: Set((1...3).map(lab.pod))), "answers: \(viaNodePort)")
            #expect(viaNodePort.count >= 2, "answers: \(viaNodePort)")

            var fewer = slice
            fewer.endpoints.removeAll { $0.addresses == [lab.podIP(2)] }
            _ = try await client.update(fewer)
            // Once the change is applied, pod 2 never answers again.
            #expect(try await eventually {
                try await answers(lab, "http://10.43.0.10/", count: 10)[lab.pod(2)] == nil
            })
            let after = try await answers(lab, "http://10.43.0.10/", count: 30)
            #expect(Set(after.keys) == [lab.pod(1), lab.pod(3)], "answers: \(after)")

            let listing = try await lab.nft(["list", "table", "ip", "skiff"])
            #expect(listing.contains("10.43.0.10 . tcp . 80 : goto cluster_2"))
            #expect(listing.contains("tcp . 30080 : goto node_port_2"))
        }
    }

    @Test func serviceWithoutEndpointsIsRefusedAtOnce() async throws {
        try await withProxy { lab, client in
            _ = try await client.create(Objects.service("empty", clusterIP: "10.43.0.12"))
            #expect(try await eventually {
                // Before the first sync there is no table to list: not yet, rather than a failure.
                (try? await lab.nft(["list", "map", "ip", "skiff", "no_endpoints"]))?.contains("10.43.0.12") == true
            })
            // Refused (curl's status 7, "couldn't connect"), not left to time out (28).
            let (status, answer) = try await lab.fetch("http://10.43.0.12/")
            #expect(status == 7, "curl said: \(answer)")
        }
    }

    @Test func clientIPAffinitySticks() async throws {
        try await withProxy { lab, client in
            _ = try await client.create(Objects.service("sticky", clusterIP: "10.43.0.11") { $0.sessionAffinity = "ClientIP" })
            _ = try await client.create(Objects.slice(for: "sticky", endpoints(lab, [1, 2, 3])))
            #expect(try await eventually { try await lab.get("http://10.43.0.11/").hasPrefix(lab.prefix) })
            let seen = try await answers(lab, "http://10.43.0.11/", count: 20)
            #expect(seen.count == 1, "answers: \(seen)")
            // Another client (pod 3, its own source address) is remembered separately but sticks too.
            let other = try await answers(lab, "http://10.43.0.11/", count: 10, from: lab.pod(3))
            #expect(other.count == 1, "answers: \(other)")
        }
    }

    @Test func podReachesItselfThroughItsService() async throws {
        try await withProxy { lab, client in
            _ = try await client.create(Objects.service("self", clusterIP: "10.43.0.13"))
            _ = try await client.create(Objects.slice(for: "self", endpoints(lab, [1])))
            #expect(try await eventually {
                try await lab.get("http://10.43.0.13/", from: lab.pod(1)) == lab.pod(1)
            })
        }
    }
}
