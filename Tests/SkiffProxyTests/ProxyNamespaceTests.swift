import Foundation
import SkiffAPI
import SkiffClient
import SkiffProxy
import Testing

/// The whole proxy against a real API server, programming a node namespace that
/// a client namespace and three pod namespaces hang off: the same behaviour with
/// either backend (nftables over netlink, iptables through the iptables on PATH).
@Suite("Proxy in network namespaces", .serialized, .timeLimit(.minutes(5)), .enabled(if: isRoot, "\(needsRoot)"))
struct ProxyNamespaceTests {
    /// Runs `body` with a lab, a proxier programming its node with `mode` and an API
    /// client; dual-stack: both families' tables or programs, and a dual-stack API server.
    func withProxy(_ mode: ProxyMode, dualStack: Bool = false, _ body: (NetworkLab, APIClient) async throws -> Void) async throws {
        try await NetworkLab.with(pods: 3) { lab in
            try await TestAPI.with(dualStack: dualStack) { client in
                let cidrs = [IPCIDR("10.42.0.0/16")!] + (dualStack ? [IPCIDR("fd42::/56")!] : [])
                var configuration = Proxier.Configuration(nodeName: "node-a", clusterCIDRs: cidrs)
                configuration.minSyncInterval = .milliseconds(20)
                let transport = try NetfilterSocket(namespacePath: lab.nodeNamespacePath)
                let backends: [any ProxyBackend] = cidrs.map { cidr in
                    switch mode {
                    case .nftables: NFTablesBackend(transport: transport, clusterCIDR: cidr)
                    case .iptables:
                        IPTablesBackend(runner: IPTablesCommands(namespacePath: lab.nodeNamespacePath, family: cidr.family), clusterCIDR: cidr)
                    }
                }
                let proxier = Proxier(
                    client: client, backends: backends, configuration: configuration,
                    conntrack: ConntrackCommands(namespacePath: lab.nodeNamespacePath, report: { Issue.record("conntrack: \($0)") }))
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

    @Test(arguments: ProxyMode.allCases) func clusterIPAndNodePortSpreadOverEndpointsAndFollowChanges(_ mode: ProxyMode) async throws {
        try await withProxy(mode) { lab, client in
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

            switch mode {
            case .nftables:
                let listing = try await lab.nft(["list", "table", "ip", "skiff"])
                #expect(listing.contains("10.43.0.10 . tcp . 80 : goto cluster_2"))
                #expect(listing.contains("tcp . 30080 : goto node_port_2"))
            case .iptables:
                let nat = try await lab.iptablesSave("nat")
                #expect(nat.contains("-j \(ChainName.service("default/web", .tcp))"))
                #expect(nat.contains("--dport 30080 -j \(ChainName.external("default/web", .tcp))"))
                #expect(!nat.contains(ChainName.endpoint("default/web", .tcp, Objects.backend(lab.podIP(2)))))
            }
        }
    }

    @Test(arguments: ProxyMode.allCases) func aUDPFlowMovesOffAnEndpointThatIsRemoved(_ mode: ProxyMode) async throws {
        try await withProxy(mode) { lab, client in
            try await lab.serveUDP()
            _ = try await client.create(Objects.service("dns", clusterIP: "10.43.0.53", ports: [(nil, 53, 5353, nil)], protocol: "UDP"))
            let slice = try await client.create(Objects.slice(for: "dns", endpoints(lab, [1]), port: 5353, protocol: "UDP"))
            // One source port throughout: every datagram below belongs to one conntrack flow.
            #expect(try await eventually {
                try await lab.udpAnswers("10.43.0.53", 53, sourcePort: 41000, count: 1) == [lab.pod(1)]
            })
            var moved = slice
            moved.endpoints = Objects.slice(for: "dns", endpoints(lab, [2]), port: 5353, protocol: "UDP").endpoints
            _ = try await client.update(moved)
            // Pod 1 still answers on its own address; only the flushed flow lets the
            // same client port reach pod 2 (the kernel would keep the old NAT for 30 s
            // of silence, and this flow is never silent that long).
            #expect(try await eventually {
                try await lab.udpAnswers("10.43.0.53", 53, sourcePort: 41000, count: 1) == [lab.pod(2)]
            })
            #expect(try await lab.udpAnswers("10.43.0.53", 53, sourcePort: 41000, count: 5) == Array(repeating: lab.pod(2), count: 5))
        }
    }

    @Test(arguments: ProxyMode.allCases) func serviceWithoutEndpointsIsRefusedAtOnce(_ mode: ProxyMode) async throws {
        try await withProxy(mode) { lab, client in
            _ = try await client.create(Objects.service("empty", clusterIP: "10.43.0.12"))
            #expect(try await eventually {
                // Before the first sync there is no table to list: not yet, rather than a failure.
                switch mode {
                case .nftables: (try? await lab.nft(["list", "map", "ip", "skiff", "no_endpoints"]))?.contains("10.43.0.12") == true
                case .iptables: (try? await lab.iptablesSave("filter"))?.contains("-d 10.43.0.12/32") == true
                }
            })
            // Refused (curl's status 7, "couldn't connect"), not left to time out (28).
            let (status, answer) = try await lab.fetch("http://10.43.0.12/")
            #expect(status == 7, "curl said: \(answer)")
        }
    }

    @Test(arguments: ProxyMode.allCases) func clientIPAffinitySticks(_ mode: ProxyMode) async throws {
        try await withProxy(mode) { lab, client in
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

    /// A Service's external IP (here the node's own address on the client's side)
    /// answers on the Service's port: masqueraded to the node with
    /// externalTrafficPolicy Cluster, with the client's address kept when Local.
    @Test(arguments: ProxyMode.allCases) func externalIPsAnswerWithTheTrafficPolicysMasquerade(_ mode: ProxyMode) async throws {
        try await withProxy(mode) { lab, client in
            _ = try await client.create(Objects.service("web", clusterIP: "10.43.0.10") { $0.externalIPs = [lab.nodeIP] })
            _ = try await client.create(Objects.slice(for: "web", endpoints(lab, [1])))
            _ = try await client.create(Objects.service("local", clusterIP: "10.43.0.11", ports: [(nil, 81, 8080, nil)]) {
                $0.externalIPs = [lab.nodeIP]
                $0.externalTrafficPolicy = "Local"
            })
            _ = try await client.create(Objects.slice(for: "local", endpoints(lab, [2])))
            #expect(try await eventually { try await lab.get("http://\(lab.nodeIP)/") == lab.pod(1) })
            #expect(try await eventually { try await lab.get("http://\(lab.nodeIP):81/") == lab.pod(2) })
            // Masqueraded: pod 1 sees the node's address on its own link.
            #expect(try await lab.peer("http://\(lab.nodeIP)/cgi-bin/peer", from: lab.client) == "10.42.1.1")
            #expect(try await lab.peer("http://\(lab.nodeIP):81/cgi-bin/peer", from: lab.client) == lab.clientIP)
        }
    }

    /// A load balancer IP (here the node's own address on the client's side) with
    /// loadBalancerSourceRanges takes connections only from those ranges; the
    /// others are dropped (curl times out), and a change of ranges applies at once.
    @Test(arguments: ProxyMode.allCases) func loadBalancerSourceRangesAdmitOnlyTheirClients(_ mode: ProxyMode) async throws {
        try await withProxy(mode) { lab, client in
            var service = try await client.create(Objects.service("lb", clusterIP: "10.43.0.10") {
                $0.type = ServiceType.loadBalancer
                $0.loadBalancerSourceRanges = ["192.168.200.0/24"]
            })
            var ingress = LoadBalancerIngress()
            ingress.ip = lab.nodeIP
            service.status.loadBalancer.ingress = [ingress]
            service = try await client.updateStatus(service)
            _ = try await client.create(Objects.slice(for: "lb", endpoints(lab, [1])))
            let url = "http://\(lab.nodeIP)/"
            #expect(try await eventually { try await lab.get(url) == lab.pod(1) })
            // Pod 2 is outside the range: its connection is dropped, not refused.
            #expect(try await lab.fetch(url, from: lab.pod(2)).status == 28)
            #expect(try await lab.get("http://10.43.0.10/", from: lab.pod(2)) == lab.pod(1), "the cluster IP is not restricted")

            service.spec.loadBalancerSourceRanges = ["10.42.2.0/24"]
            _ = try await client.update(service)
            #expect(try await eventually { try await lab.get(url, from: lab.pod(2)) == lab.pod(1) })
            #expect(try await lab.fetch(url).status == 28, "the client is outside the new range")
        }
    }

    /// A Local Service whose one endpoint is on another node: outside clients of
    /// this node are dropped, this node's pods reach it through the external IP
    /// and the NodePort (keeping their address), and so does the node itself.
    @Test(arguments: ProxyMode.allCases) func podsReachALocalServiceThroughItsExternalAddresses(_ mode: ProxyMode) async throws {
        try await withProxy(mode) { lab, client in
            _ = try await client.create(Objects.service("local", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)]) {
                $0.externalIPs = [lab.nodeIP]
                $0.externalTrafficPolicy = "Local"
            })
            _ = try await client.create(Objects.slice(for: "local", [Objects.EP(ip: lab.podIP(2), node: "node-b")]))
            #expect(try await eventually { try await lab.get("http://10.43.0.10/", from: lab.pod(1)) == lab.pod(2) })
            #expect(try await lab.get("http://\(lab.nodeIP)/", from: lab.pod(1)) == lab.pod(2))
            #expect(try await lab.get("http://\(lab.nodeIP):30080/", from: lab.pod(1)) == lab.pod(2))
            #expect(try await lab.peer("http://\(lab.nodeIP)/cgi-bin/peer", from: lab.pod(1)) == lab.podIP(1))
            #expect(try await lab.get("http://\(lab.nodeIP)/", from: lab.node) == lab.pod(2), "the node itself")
            #expect(try await lab.fetch("http://\(lab.nodeIP)/").status == 28, "an outside client is dropped")
        }
    }

    @Test(arguments: ProxyMode.allCases) func podReachesItselfThroughItsService(_ mode: ProxyMode) async throws {
        try await withProxy(mode) { lab, client in
            _ = try await client.create(Objects.service("self", clusterIP: "10.43.0.13"))
            _ = try await client.create(Objects.slice(for: "self", endpoints(lab, [1])))
            #expect(try await eventually {
                try await lab.get("http://10.43.0.13/", from: lab.pod(1)) == lab.pod(1)
            })
        }
    }

    /// A pod reaching an address outside the cluster CIDR (the client namespace) is
    /// seen there with the node's address; pod to pod keeps the pod's own.
    @Test(arguments: ProxyMode.allCases) func egressFromPodsIsMasqueradedButPodToPodIsNot(_ mode: ProxyMode) async throws {
        try await withProxy(mode) { lab, client in
            try await lab.serveClient()
            // Any Service makes the proxier sync; the egress rule does not depend on one.
            _ = try await client.create(Objects.service("web", clusterIP: "10.43.0.10"))
            _ = try await client.create(Objects.slice(for: "web", endpoints(lab, [2])))
            #expect(try await eventually { try await lab.get("http://10.43.0.10/").hasPrefix(lab.prefix) })
            let outside = try await lab.peer("http://\(lab.clientIP):8080/cgi-bin/peer", from: lab.pod(1))
            #expect(outside == lab.nodeIP, "the client saw \(outside)")
            let podToPod = try await lab.peer("http://\(lab.podIP(2)):8080/cgi-bin/peer", from: lab.pod(1))
            #expect(podToPod == lab.podIP(1), "pod 2 saw \(podToPod)")
        }
    }
}
