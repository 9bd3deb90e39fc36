import SkiffAPI
import Testing

@testable import SkiffControllers

@Suite struct EndpointSubsetsTests {
    @Test func readyAndNotReadyAddressesShareASubsetPerPortSet() throws {
        let pods = [
            EndpointFixtures.pod("b", ips: ["10.42.0.2"]),
            EndpointFixtures.pod("a", ips: ["10.42.0.1"], ready: false),
            EndpointFixtures.pod("gone", ips: ["10.42.0.3"], terminating: true),
            EndpointFixtures.pod("other-port", ips: ["10.42.0.4"], httpPort: 9090),
            EndpointFixtures.pod("no-ip", ips: []),
        ]
        let subsets = EndpointSubsets.subsets(for: EndpointFixtures.service(), pods: pods)
        #expect(subsets.count == 2)
        let first = try #require(subsets.first)
        #expect(first.addresses?.map(\.ip) == ["10.42.0.2"])
        #expect(first.notReadyAddresses?.map(\.ip) == ["10.42.0.1"])
        #expect(first.ports?.map(\.port) == [8080] && first.ports?.first?.name == "http")
        #expect(first.addresses?.first?.targetRef?.name == "b" && first.addresses?.first?.nodeName == "node-a")
        #expect(subsets[1].addresses?.map(\.ip) == ["10.42.0.4"] && subsets[1].ports?.map(\.port) == [9090])
    }

    @Test func publishNotReadyAddressesListsEveryPodAsReady() {
        var service = EndpointFixtures.service()
        service.spec.publishNotReadyAddresses = true
        let pods = [
            EndpointFixtures.pod("a", ips: ["10.42.0.1"], ready: false),
            EndpointFixtures.pod("b", ips: ["10.42.0.2"], terminating: true),
        ]
        let subsets = EndpointSubsets.subsets(for: service, pods: pods)
        #expect(subsets.map { $0.addresses?.map(\.ip) } == [["10.42.0.1", "10.42.0.2"]])
        #expect(subsets.first?.notReadyAddresses == nil)
    }

    @Test func headlessWithoutPortsListsAddressesOnly() {
        let service = EndpointFixtures.service(ports: [], families: nil, clusterIP: "None")
        let subsets = EndpointSubsets.subsets(for: service, pods: [EndpointFixtures.pod("a", ips: ["10.42.0.1"])])
        #expect(subsets.count == 1 && subsets[0].ports == nil && subsets[0].addresses?.map(\.ip) == ["10.42.0.1"])
        // A service with a cluster IP and no ports lists nothing.
        #expect(EndpointSubsets.subsets(for: EndpointFixtures.service(ports: []), pods: [EndpointFixtures.pod("a", ips: ["10.42.0.1"])]).isEmpty)
    }

    @Test func truncationKeepsAThousandReadyFirst() {
        func addresses(_ prefix: String, _ count: Int) -> [EndpointAddress] {
            (0..<count).map { var a = EndpointAddress(); a.ip = "\(prefix).\($0 / 250).\($0 % 250)"; return a }
        }
        var one = EndpointSubset()
        one.addresses = addresses("10.1", 600)
        one.notReadyAddresses = addresses("10.2", 300)
        var two = EndpointSubset()
        two.addresses = addresses("10.3", 200)
        two.notReadyAddresses = addresses("10.4", 100)
        // 800 ready fit; 200 of the 400 not ready stay, 150 and 50 by proportion.
        let (cut, truncated) = EndpointsTruncation.truncate([one, two])
        #expect(truncated)
        #expect(cut.map { $0.addresses?.count ?? 0 } == [600, 200])
        #expect(cut.map { $0.notReadyAddresses?.count ?? 0 } == [150, 50])

        // Over a thousand ready: only ready ones, in proportion.
        var big = EndpointSubset()
        big.addresses = addresses("10.5", 1500)
        big.notReadyAddresses = addresses("10.6", 10)
        let (readyOnly, _) = EndpointsTruncation.truncate([big, two])
        #expect(readyOnly.map { $0.addresses?.count ?? 0 } == [883, 117])
        #expect(readyOnly.allSatisfy { $0.notReadyAddresses == nil })
        #expect(EndpointsTruncation.truncate([two]).truncated == false)
    }
}
