import SkiffAPI
import SkiffProxy
import Testing

/// A dual-stack node builds one model per family: each Service's cluster IP,
/// external IPs and EndpointSlices of that family; problems once per Service.
@Suite("Proxy models of a dual-stack node")
struct DualStackModelTests {
    let four = ModelBuilder(nodeName: "node-a", family: .ipv4, nodeFamilies: [.ipv4, .ipv6])
    let six = ModelBuilder(nodeName: "node-a", family: .ipv6, nodeFamilies: [.ipv4, .ipv6])

    func dualStack(_ name: String, ports: [(name: String?, port: Int32, target: Int32, nodePort: Int32?)] = [(nil, 80, 8080, nil)])
        -> Service
    {
        Objects.service(name, clusterIP: "10.43.0.10", ports: ports) {
            $0.clusterIPs = ["10.43.0.10", "fd43::10"]
            $0.ipFamilies = ["IPv4", "IPv6"]
            $0.ipFamilyPolicy = "PreferDualStack"
        }
    }

    let slices = [
        Objects.slice(for: "web", [.init(ip: "10.42.1.2")], name: "web-v4"),
        Objects.slice(for: "web", [.init(ip: "fd42:1::2"), .init(ip: "fd42:2::2")], name: "web-v6", addressType: "IPv6"),
    ]

    @Test func eachFamilyGetsItsClusterIPAndItsSlices() {
        let service = dualStack("web", ports: [(nil, 80, 8080, 30080)])
        let v4 = four.build(services: [service], slices: slices)
        let v6 = six.build(services: [service], slices: slices)
        #expect(v4.problems.isEmpty && v6.problems.isEmpty)
        #expect(v4.model.clusterIPs == [
            Objects.address("10.43.0.10"): .balance(
                backends: [Objects.backend("10.42.1.2")], affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        ])
        #expect(v6.model.clusterIPs == [
            Objects.address("fd43::10"): .balance(
                backends: [Objects.backend("fd42:1::2"), Objects.backend("fd42:2::2")], affinitySeconds: nil,
                masquerade: .outsideClusterCIDR)
        ])
        // The NodePort answers on the node's addresses of both families, each to that family's endpoints.
        #expect(v4.model.nodePorts.keys.map(\.port) == [30080])
        #expect(v6.model.nodePorts[NodePortKey(proto: .tcp, port: 30080)] == .balance(
            backends: [Objects.backend("fd42:1::2"), Objects.backend("fd42:2::2")], affinitySeconds: nil, masquerade: .always))
    }

    @Test func aSingleStackIPv6ServiceIsOnlyInTheIPv6Model() {
        let service = Objects.service("web", clusterIP: "fd43::20") { $0.externalIPs = ["2001:db8::7", "192.0.2.7"] }
        let v4 = four.build(services: [service], slices: slices)
        let v6 = six.build(services: [service], slices: slices)
        #expect(v4.model.clusterIPs.isEmpty)
        #expect(Set(v6.model.clusterIPs.keys) == [Objects.address("fd43::20"), Objects.address("2001:db8::7")])
        #expect(v4.problems.isEmpty && v6.problems.isEmpty)
    }

    @Test func anIPv6ServiceOnAnIPv4OnlyNodeIsAProblemNamingTheFamilies() {
        let ipv4Only = ModelBuilder(nodeName: "node-a")
        let result = ipv4Only.build(services: [dualStack("web")], slices: slices)
        #expect(result.model.clusterIPs.keys.map(\.description) == ["10.43.0.10 . tcp . 80"])
        #expect(result.problems.map(\.message) == ["cluster IP fd43::10 is IPv6; this node's proxy programs IPv4 only"])
    }

    @Test func aServicesOwnProblemsAreReportedByOneFamilyOnly() {
        let service = Objects.service("web", clusterIP: "fd43::20", ports: [(nil, 80, 8080, nil), (nil, 0, 8080, nil)]) {
            $0.externalIPs = ["not-an-address"]
        }
        let v4 = four.build(services: [service, dualStack("both", ports: [(nil, 80, 8080, nil), (nil, 80, 8080, nil)])], slices: [])
        let v6 = six.build(services: [service, dualStack("both", ports: [(nil, 80, 8080, nil), (nil, 80, 8080, nil)])], slices: [])
        let all = (v4.problems + v6.problems).map { "\($0.service.name) \($0.reason.rawValue)" }.sorted()
        // "both" is reported by the IPv4 model (its first family), "web" by the IPv6 one (its only).
        #expect(all == ["both DuplicatePort", "web UnsupportedAddress", "web UnsupportedPort"])
        #expect(v6.problems.count == 2)
    }
}
