import Foundation
import SkiffAPI
import SkiffClient
import SkiffProxy
import Testing

/// A dual-stack Service through the whole proxy (a dual-stack API server
/// allocating both cluster IPs, a proxier with one backend per family), in the
/// namespaces of ``NetworkLab``, which have addresses of both families.
@Suite("Dual-stack proxy in network namespaces", .serialized, .timeLimit(.minutes(5)), .enabled(if: isRoot, "\(needsRoot)"))
struct DualStackNamespaceTests {
    let namespaceTests = ProxyNamespaceTests()

    func endpoints(_ lab: NetworkLab, _ pods: [Int]) -> [Objects.EP] { pods.map { Objects.EP(ip: lab.podIPv6($0)) } }

    func answers(_ lab: NetworkLab, _ url: String, count: Int) async throws -> [String: Int] {
        var seen: [String: Int] = [:]
        for _ in 0..<count { seen[try await lab.get(url), default: 0] += 1 }
        return seen
    }

    @Test(arguments: ProxyMode.allCases) func aDualStackServiceAnswersOnBothFamilies(_ mode: ProxyMode) async throws {
        try await namespaceTests.withProxy(mode, dualStack: true) { lab, client in
            var service = Objects.service("web", clusterIP: "", ports: [(nil, 80, 8080, 30080)])
            service.spec.clusterIP = nil
            service.spec.clusterIPs = nil
            service.spec.ipFamilyPolicy = "RequireDualStack"
            let created = try await client.create(service)
            let ips = try #require(created.spec.clusterIPs)
            #expect(created.spec.ipFamilies == ["IPv4", "IPv6"], "\(ips)")
            let (four, six) = (ips[0], ips[1])
            _ = try await client.create(Objects.slice(for: "web", namespaceTests.endpoints(lab, [1, 2, 3]), name: "web-v4"))
            let slice6 = try await client.create(
                Objects.slice(for: "web", endpoints(lab, [1, 2, 3]), name: "web-v6", addressType: "IPv6"))
            let url = "http://[\(six)]/"
            #expect(try await eventually { try await lab.get(url).hasPrefix(lab.prefix) })

            let spread = try await answers(lab, url, count: 60)
            #expect(Set(spread.keys) == Set((1...3).map(lab.pod)), "answers: \(spread)")
            #expect(spread.values.allSatisfy { $0 >= 5 }, "answers: \(spread)")
            let viaNodePort = try await answers(lab, "http://[\(lab.nodeIPv6)]:30080/", count: 20)
            #expect(Set(viaNodePort.keys).isSubset(of: Set((1...3).map(lab.pod))) && viaNodePort.count >= 2, "answers: \(viaNodePort)")
            // A pod reaches itself through the IPv6 cluster IP (hairpin), and the IPv4 one still answers.
            #expect(try await lab.get(url, from: lab.pod(1)).hasPrefix(lab.prefix))
            #expect(try await lab.get("http://\(four)/").hasPrefix(lab.prefix))

            var fewer = slice6
            fewer.endpoints.removeAll { $0.addresses == [lab.podIPv6(2)] }
            _ = try await client.update(fewer)
            #expect(try await eventually { try await answers(lab, url, count: 10)[lab.pod(2)] == nil })
            #expect(Set(try await answers(lab, url, count: 20).keys) == [lab.pod(1), lab.pod(3)])

            switch mode {
            case .nftables:
                let listing = try await lab.nft(["list", "table", "ip6", "skiff"])
                #expect(listing.contains("\(six) . tcp . 80 : goto cluster_2"), "\(listing)")
                #expect(try await lab.nft(["list", "table", "ip", "skiff"]).contains("\(four) . tcp . 80 : goto cluster_3"))
            case .iptables:
                let (_, nat) = try await lab.run(in: lab.node, ["ip6tables-save", "-t", "nat"])
                #expect(nat.contains("-d \(six)/128 -p tcp"), "\(nat)")
            }
        }
    }

    /// An IPv6-only Service without endpoints is refused at once over IPv6, as an
    /// IPv4 one is (ICMPv6 port unreachable; curl's "couldn't connect").
    @Test(arguments: ProxyMode.allCases) func anIPv6ServiceWithoutEndpointsIsRefused(_ mode: ProxyMode) async throws {
        try await namespaceTests.withProxy(mode, dualStack: true) { lab, client in
            var service = Objects.service("empty", clusterIP: "")
            service.spec.clusterIP = nil
            service.spec.clusterIPs = nil
            service.spec.ipFamilies = ["IPv6"]
            let six = try #require(try await client.create(service).spec.clusterIP)
            #expect(six.contains(":"))
            #expect(try await eventually {
                switch mode {
                case .nftables: (try? await lab.nft(["list", "map", "ip6", "skiff", "no_endpoints"]))?.contains(six) == true
                case .iptables: (try? await lab.run(in: lab.node, ["ip6tables-save", "-t", "filter"]))?.output.contains(six) == true
                }
            })
            let (status, answer) = try await lab.fetch("http://[\(six)]/")
            #expect(status == 7, "curl said: \(answer)")
        }
    }
}
