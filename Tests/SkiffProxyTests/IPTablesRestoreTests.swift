import SkiffAPI
import SkiffProxy
import Testing

/// The iptables backend's iptables-restore input through the runner seam.
@Suite("iptables-restore input through the runner seam")
struct IPTablesRestoreTests {
    static let cidr = IPCIDR("10.42.0.0/16")!

    /// web: two endpoints and NodePort 30080; sticky: ClientIP affinity; empty: no
    /// endpoints; local: externalTrafficPolicy Local, its only endpoint on another node.
    static func model(extra: Int = 0) -> ProxyModel {
        var services = [
            Objects.service("web", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)]),
            Objects.service("sticky", clusterIP: "10.43.0.11") { $0.sessionAffinity = "ClientIP" },
            Objects.service("empty", clusterIP: "10.43.0.12"),
            Objects.service("local", clusterIP: "10.43.0.13", ports: [("http", 80, 8080, 30081)]) {
                $0.externalTrafficPolicy = "Local"
            },
        ]
        var slices = [
            Objects.slice(for: "web", [.init(ip: "10.42.1.2"), .init(ip: "10.42.2.2")]),
            Objects.slice(for: "sticky", [.init(ip: "10.42.3.2"), .init(ip: "10.42.4.2"), .init(ip: "10.42.5.2")]),
            Objects.slice(for: "local", [.init(ip: "10.42.6.2", node: "node-b")], portName: "http"),
        ]
        for index in 0..<extra {
            services.append(Objects.service("more-\(index)", clusterIP: "10.43.100.\(index)"))
            slices.append(Objects.slice(for: "more-\(index)", [.init(ip: "10.42.7.\(index + 2)")]))
        }
        let built = ModelBuilder(nodeName: "node-a").build(services: services, slices: slices)
        #expect(built.problems.isEmpty)
        return built.model
    }

    func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    @Test func chainNamesAreHashedAsUpstreams() {
        // Upstream's kube-proxy names these chains so for "ns1/svc1:p80" and endpoint 10.180.0.1:80.
        #expect(ChainName.service("ns1/svc1:p80", .tcp) == "KUBE-SVC-XPGD46QRK7WJZT7O")
        #expect(ChainName.endpoint("ns1/svc1:p80", .tcp, Objects.backend("10.180.0.1", 80)) == "KUBE-SEP-SXIVWICOYRO3J4NJ")
    }

    /// An external IP jumps to the Service port's KUBE-EXT chain, the one its
    /// NodePort uses; with externalTrafficPolicy Local, to a balancer of this
    /// node's endpoints without masquerade.
    @Test func externalIPsShareTheNodePortsExternalChain() async throws {
        let services = [
            Objects.service("web", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)]) { $0.externalIPs = ["192.168.200.1"] },
            Objects.service("local", clusterIP: "10.43.0.13") {
                $0.externalIPs = ["192.168.200.9"]
                $0.externalTrafficPolicy = "Local"
            },
        ]
        let slices = [
            Objects.slice(for: "web", [.init(ip: "10.42.1.2"), .init(ip: "10.42.2.2")]),
            Objects.slice(for: "local", [.init(ip: "10.42.6.2"), .init(ip: "10.42.7.2", node: "node-b")]),
        ]
        let model = ModelBuilder(nodeName: "node-a").build(services: services, slices: slices).model
        let runner = RecordingIPTablesRunner()
        _ = try await IPTablesBackend(runner: runner, clusterCIDR: Self.cidr).apply(model, full: true)
        let script = lines(try #require(runner.restores.first))
        let ext = ChainName.external("default/web", .tcp), svc = ChainName.service("default/web", .tcp)
        #expect(script.contains(
            "-A KUBE-SERVICES -d 192.168.200.1/32 -p tcp -m comment --comment \"default/web external IP\" -m tcp --dport 80 -j \(ext)"))
        #expect(script.filter { $0.hasPrefix("-A \(ext) ") } == [
            "-A \(ext) -m comment --comment \"masquerade traffic for default/web external destinations\" -j KUBE-MARK-MASQ",
            "-A \(ext) -j \(svc)",
        ], "written once for the NodePort and the external IP")
        let localExt = ChainName.external("default/local", .tcp), svl = ChainName.local("default/local", .tcp)
        let sep = ChainName.endpoint("default/local", .tcp, Objects.backend("10.42.6.2"))
        // Local: this node's pods and the node itself go to every endpoint first (upstream's short-circuit).
        let localSVC = ChainName.service("default/local", .tcp)
        #expect(script.filter { $0.hasPrefix("-A \(localExt) ") } == [
            "-A \(localExt) -s 10.42.0.0/16 -m comment --comment \"pod traffic for default/local external destinations\" -j \(localSVC)",
            "-A \(localExt) -m addrtype --src-type LOCAL -m comment --comment \"masquerade LOCAL traffic for default/local external destinations\" -j KUBE-MARK-MASQ",
            "-A \(localExt) -m addrtype --src-type LOCAL -m comment --comment \"route LOCAL traffic for default/local external destinations\" -j \(localSVC)",
            "-A \(localExt) -j \(svl)",
        ])
        #expect(script.filter { $0.hasPrefix("-A \(svl) ") } == ["-A \(svl) -m comment --comment \"default/local -> 10.42.6.2:8080\" -j \(sep)"])
    }

    @Test func fullSyncWritesKubeLikeChains() async throws {
        let runner = RecordingIPTablesRunner()
        let report = try await IPTablesBackend(runner: runner, clusterCIDR: Self.cidr).apply(Self.model(), full: false)
        #expect(report.full)
        #expect(runner.saves == ["filter", "nat"])
        let script = lines(try #require(runner.restores.first))
        let svc = ChainName.service("default/web", .tcp)
        let sep1 = ChainName.endpoint("default/web", .tcp, Objects.backend("10.42.1.2"))
        let sep2 = ChainName.endpoint("default/web", .tcp, Objects.backend("10.42.2.2"))
        let ext = ChainName.external("default/web", .tcp)
        let expected = [
            // filter: refuse what has no endpoints, drop what a Local policy leaves without any.
            "-A KUBE-SERVICES -d 10.43.0.12/32 -p tcp -m comment --comment \"default/empty has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable",
            "-A KUBE-EXTERNAL-SERVICES -m addrtype --dst-type LOCAL -p tcp -m comment --comment \"default/local:http\" -m tcp --dport 30081 -j DROP",
            // nat: ClusterIP → balancer → endpoint.
            "-A KUBE-SERVICES -d 10.43.0.10/32 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp --dport 80 -j \(svc)",
            "-A \(svc) ! -s 10.42.0.0/16 -d 10.43.0.10/32 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ",
            "-A \(svc) -m comment --comment \"default/web -> 10.42.1.2:8080\" -m statistic --mode random --probability 0.5000000000 -j \(sep1)",
            "-A \(svc) -m comment --comment \"default/web -> 10.42.2.2:8080\" -j \(sep2)",
            "-A \(sep1) -s 10.42.1.2/32 -m comment --comment \"default/web\" -j KUBE-MARK-MASQ",
            "-A \(sep1) -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination 10.42.1.2:8080",
            // NodePort: always masqueraded, then the same balancer as the ClusterIP.
            "-A KUBE-NODEPORTS -p tcp -m comment --comment \"default/web\" -m tcp --dport 30080 -j \(ext)",
            "-A \(ext) -m comment --comment \"masquerade traffic for default/web external destinations\" -j KUBE-MARK-MASQ",
            "-A \(ext) -j \(svc)",
            "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
            "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000",
            "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
            "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000",
            // Nothing there yet: the jumps from the built-in chains are inserted.
            "-I PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
            "-I POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING",
            "-I INPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
        ]
        for line in expected { #expect(script.contains(line), "\(line)") }
        // Each table is declared, flushed by its declarations and committed once.
        #expect(script.filter { $0.hasPrefix("*") } == ["*filter", "*nat"])
        #expect(script.filter { $0 == "COMMIT" }.count == 2)
        #expect(script.contains(":KUBE-SERVICES - [0:0]"))
        // The nodeports jump comes after every ClusterIP rule.
        let services = script.filter { $0.hasPrefix("-A KUBE-SERVICES ") && $0.contains("cluster IP") }
        let lastService = try #require(services.last.flatMap(script.lastIndex(of:)))
        #expect(script.firstIndex { $0.contains("-j KUBE-NODEPORTS") }! > lastService)
        // web: SVC, 2 SEP, EXT; sticky: SVC, 3 SEP; local: SVC, SEP and the EXT of its
        // NodePort, which drops outside clients and short-circuits this node's to the SVC.
        #expect(report.size.chains == 4 + 4 + 3)
    }

    @Test func egressMasqueradeComesFirstInPostroutingAndCanBeTurnedOff() async throws {
        let runner = RecordingIPTablesRunner()
        _ = try await IPTablesBackend(runner: runner, clusterCIDR: Self.cidr).apply(Self.model(), full: true)
        #expect(lines(runner.restores[0]).filter { $0.hasPrefix("-A KUBE-POSTROUTING ") } == [
            "-A KUBE-POSTROUTING -s 10.42.0.0/16 ! -d 10.42.0.0/16 -m mark ! --mark 0x4000/0x4000 -m comment --comment \"pod traffic leaving the cluster network\" -j MASQUERADE --random-fully",
            "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
            "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000",
            "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
        ])
        let off = RecordingIPTablesRunner()
        _ = try await IPTablesBackend(runner: off, clusterCIDR: Self.cidr, egressMasquerade: false).apply(Self.model(), full: true)
        #expect(!off.restores[0].contains("pod traffic leaving the cluster network"))
    }

    @Test func affinityAndSpreadOverThreeEndpoints() async throws {
        let runner = RecordingIPTablesRunner()
        _ = try await IPTablesBackend(runner: runner, clusterCIDR: Self.cidr).apply(Self.model(), full: true)
        let script = lines(try #require(runner.restores.first))
        let svc = ChainName.service("default/sticky", .tcp)
        let seps = ["10.42.3.2", "10.42.4.2", "10.42.5.2"].map { ChainName.endpoint("default/sticky", .tcp, Objects.backend($0)) }
        let chain = script.filter { $0.hasPrefix("-A \(svc) ") }
        #expect(chain == [
            "-A \(svc) ! -s 10.42.0.0/16 -d 10.43.0.11/32 -p tcp -m comment --comment \"default/sticky cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ",
            "-A \(svc) -m comment --comment \"default/sticky -> 10.42.3.2:8080\" -m recent --name \(seps[0]) --rcheck --seconds 10800 --reap -j \(seps[0])",
            "-A \(svc) -m comment --comment \"default/sticky -> 10.42.4.2:8080\" -m recent --name \(seps[1]) --rcheck --seconds 10800 --reap -j \(seps[1])",
            "-A \(svc) -m comment --comment \"default/sticky -> 10.42.5.2:8080\" -m recent --name \(seps[2]) --rcheck --seconds 10800 --reap -j \(seps[2])",
            "-A \(svc) -m comment --comment \"default/sticky -> 10.42.3.2:8080\" -m statistic --mode random --probability 0.3333333333 -j \(seps[0])",
            "-A \(svc) -m comment --comment \"default/sticky -> 10.42.4.2:8080\" -m statistic --mode random --probability 0.5000000000 -j \(seps[1])",
            "-A \(svc) -m comment --comment \"default/sticky -> 10.42.5.2:8080\" -j \(seps[2])",
        ])
        #expect(script.contains(
            "-A \(seps[1]) -p tcp -m comment --comment \"default/sticky\" -m recent --name \(seps[1]) --set --rsource -m tcp -j DNAT --to-destination 10.42.4.2:8080"))
    }

    @Test func localNodePortUsesOnlyThisNodesEndpointsWithoutMasquerade() async throws {
        let runner = RecordingIPTablesRunner()
        var model = ProxyModel()
        let key = NodePortKey(proto: .tcp, port: 30082)
        model.clusterIPs[Objects.address("10.43.0.20")] = .balance(
            backends: [Objects.backend("10.42.1.2"), Objects.backend("10.42.2.2")], affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        model.clusterIPNames[Objects.address("10.43.0.20")] = "default/kept"
        model.nodePorts[key] = .balance(backends: [Objects.backend("10.42.1.2")], affinitySeconds: nil, masquerade: .never)
        model.nodePortNames[key] = "default/kept"
        _ = try await IPTablesBackend(runner: runner, clusterCIDR: Self.cidr).apply(model, full: true)
        let script = lines(try #require(runner.restores.first))
        let ext = ChainName.external("default/kept", .tcp)
        let svl = ChainName.local("default/kept", .tcp)
        #expect(script.filter { $0.hasPrefix("-A \(ext) ") } == ["-A \(ext) -j \(svl)"])
        #expect(script.filter { $0.hasPrefix("-A \(svl) ") } == [
            "-A \(svl) -m comment --comment \"default/kept -> 10.42.1.2:8080\" -j \(ChainName.endpoint("default/kept", .tcp, Objects.backend("10.42.1.2")))"
        ])
    }

    @Test func partialSyncWritesOnlyTheNewServicesChains() async throws {
        let runner = RecordingIPTablesRunner()
        let backend = IPTablesBackend(runner: runner, clusterCIDR: Self.cidr)
        _ = try await backend.apply(Self.model(extra: 10), full: true)
        let report = try await backend.apply(Self.model(extra: 11), full: false)
        #expect(!report.full)
        #expect(runner.saves.count == 2, "a partial sync reads nothing back")
        let svc = ChainName.service("default/more-10", .tcp)
        let sep = ChainName.endpoint("default/more-10", .tcp, Objects.backend("10.42.7.12"))
        let added = lines(runner.restores[1])
        #expect(added.first == "*nat" && added.last == "COMMIT")
        #expect(Set(added) == [
            "*nat",
            ":\(svc) - [0:0]",
            ":\(sep) - [0:0]",
            "-A \(svc) ! -s 10.42.0.0/16 -d 10.43.100.10/32 -p tcp -m comment --comment \"default/more-10 cluster IP\" -m tcp --dport 80 -j KUBE-MARK-MASQ",
            "-A \(svc) -m comment --comment \"default/more-10 -> 10.42.7.12:8080\" -j \(sep)",
            "-A \(sep) -s 10.42.7.12/32 -m comment --comment \"default/more-10\" -j KUBE-MARK-MASQ",
            "-A \(sep) -p tcp -m comment --comment \"default/more-10\" -m tcp -j DNAT --to-destination 10.42.7.12:8080",
            "-A KUBE-SERVICES -d 10.43.100.10/32 -p tcp -m comment --comment \"default/more-10 cluster IP\" -m tcp --dport 80 -j \(svc)",
            "COMMIT",
        ])
        #expect(added.count == 9)
        // The chains are declared before any rule, and the new Service's rule comes after its chain's.
        #expect(added.lastIndex { $0.hasPrefix(":") }! < added.firstIndex { $0.hasPrefix("-A") }!)
        #expect(added[added.count - 2].hasPrefix("-A KUBE-SERVICES "))
        // Removing it deletes its rule and chains; nothing else is written.
        _ = try await backend.apply(Self.model(extra: 10), full: false)
        let removed = lines(runner.restores[2])
        #expect(removed.count == 7)
        #expect(Array(removed.prefix(1)) + Array(removed[3...3]) + [removed.last!] == [
            "*nat",
            "-D KUBE-SERVICES -d 10.43.100.10/32 -p tcp -m comment --comment \"default/more-10 cluster IP\" -m tcp --dport 80 -j \(svc)",
            "COMMIT",
        ])
        #expect(Set(removed[1...2]) == [":\(sep) - [0:0]", ":\(svc) - [0:0]"])
        #expect(Set(removed[4...5]) == ["-X \(sep)", "-X \(svc)"])
        // Nothing changed: nothing run.
        _ = try await backend.apply(Self.model(extra: 10), full: false)
        #expect(runner.restores.count == 3)
    }

    @Test func serviceLosingItsEndpointsMovesToTheFilterTable() async throws {
        let runner = RecordingIPTablesRunner()
        let backend = IPTablesBackend(runner: runner, clusterCIDR: Self.cidr)
        var model = Self.model()
        _ = try await backend.apply(model, full: true)
        model.clusterIPs[Objects.address("10.43.0.10")] = .reject
        model.nodePorts[NodePortKey(proto: .tcp, port: 30080)] = .reject
        _ = try await backend.apply(model, full: false)
        let script = lines(runner.restores[1])
        #expect(script.contains(
            "-A KUBE-SERVICES -d 10.43.0.10/32 -p tcp -m comment --comment \"default/web has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable"))
        #expect(script.contains(
            "-A KUBE-EXTERNAL-SERVICES -m addrtype --dst-type LOCAL -p tcp -m comment --comment \"default/web\" -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable"))
        #expect(script.contains("-X \(ChainName.service("default/web", .tcp))"))
        #expect(script.contains("-X \(ChainName.external("default/web", .tcp))"))
        #expect(script.contains { $0.hasPrefix("-D KUBE-NODEPORTS -p tcp -m comment --comment \"default/web\" -m tcp --dport 30080") })
    }

    @Test func fullSyncRemovesStaleChainsAndKeepsPresentJumps() async throws {
        let runner = RecordingIPTablesRunner()
        runner.setSaved("""
            # Generated by iptables-save v1.8.9 (nf_tables)
            *nat
            :PREROUTING ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :DOCKER - [0:0]
            :KUBE-SERVICES - [0:0]
            :KUBE-SVC-STALESTALESTALE - [0:0]
            :KUBE-SEP-STALESTALESTALE - [0:0]
            -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            -A KUBE-SVC-STALESTALESTALE -j KUBE-SEP-STALESTALESTALE
            COMMIT
            """, table: "nat")
        let backend = IPTablesBackend(runner: runner, clusterCIDR: Self.cidr)
        _ = try await backend.apply(Self.model(), full: true)
        let script = lines(runner.restores[0])
        #expect(script.contains(":KUBE-SVC-STALESTALESTALE - [0:0]"))
        #expect(script.contains("-X KUBE-SVC-STALESTALESTALE"))
        #expect(script.contains("-X KUBE-SEP-STALESTALESTALE"))
        #expect(!script.contains { $0.contains("DOCKER") }, "other chains are left alone")
        let nat = script.drop { $0 != "*nat" }
        #expect(!nat.contains { $0.hasPrefix("-I PREROUTING") || $0.hasPrefix("-I OUTPUT") })
        #expect(nat.contains { $0.hasPrefix("-I POSTROUTING") })
        #expect(script.filter { $0.hasPrefix("-I INPUT") }.count == 2)
    }

    @Test func aFailedRestoreIsFollowedByAFullSync() async throws {
        let runner = RecordingIPTablesRunner()
        let backend = IPTablesBackend(runner: runner, clusterCIDR: Self.cidr)
        _ = try await backend.apply(Self.model(), full: true)
        runner.failNext(ProxyError("iptables-restore exited 1: line 3 failed"))
        await #expect(throws: ProxyError.self) { _ = try await backend.apply(Self.model(extra: 1), full: false) }
        let report = try await backend.apply(Self.model(extra: 1), full: false)
        #expect(report.full)
        #expect(runner.saves.count == 4)
        #expect(lines(runner.restores[1]).first == "*filter")
    }

    /// The ip6tables backend writes the same chains with IPv6 host prefixes,
    /// bracketed DNAT targets, ::1 instead of 127.0.0.0/8 and ICMPv6 rejects.
    @Test func ipv6RulesAreWrittenForIP6Tables() async throws {
        let services = [
            Objects.service("web", clusterIP: "fd43::10", ports: [(nil, 80, 8080, 30080)]),
            Objects.service("empty", clusterIP: "fd43::12"),
        ]
        let slices = [Objects.slice(for: "web", [.init(ip: "fd42:1::2")], addressType: "IPv6")]
        let model = ModelBuilder(nodeName: "node-a", family: .ipv6).build(services: services, slices: slices).model
        let runner = RecordingIPTablesRunner()
        let backend = IPTablesBackend(runner: runner, clusterCIDR: IPCIDR("fd42::/56")!)
        #expect(backend.family == .ipv6)
        _ = try await backend.apply(model, full: true)
        let input = try #require(runner.restores.first)
        let sep = ChainName.endpoint("default/web", .tcp, Objects.backend("fd42:1::2"))
        #expect(input.contains("-A \(sep) -p tcp -m comment --comment \"default/web\" -m tcp -j DNAT --to-destination [fd42:1::2]:8080"))
        #expect(input.contains("-A \(sep) -s fd42:1::2/128 "))
        #expect(input.contains("-d fd43::10/128 -p tcp -m comment --comment \"default/web cluster IP\" -m tcp --dport 80 -j KUBE-SVC-"))
        #expect(input.contains("! -s fd42::/56 -d fd43::10/128 -p tcp"))
        #expect(input.contains("! -d ::1/128 -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS"))
        #expect(input.contains("-d fd43::12/128 -p tcp -m comment --comment \"default/empty has no endpoints\" -m tcp --dport 80 -j REJECT --reject-with icmp6-port-unreachable"))
        #expect(input.contains("-s fd42::/56 ! -d fd42::/56 -m mark ! --mark 0x4000/0x4000"))
    }
}
