import SkiffProxy
import Testing

@Suite("Proxy addresses and CIDRs of both families")
struct IPAddressTests {
    @Test(arguments: [
        ("10.43.0.1", "10.43.0.1"), ("010.043.000.001", "10.43.0.1"),
        ("fd43::10", "fd43::10"), ("FD43:0:0:0:0:0:0:10", "fd43::10"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("::1", "::1"), ("::", "::"),
    ])
    func parsesAndPrintsCanonically(_ text: String, _ printed: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == printed)
        #expect(address.family == (text.contains(":") ? .ipv6 : .ipv4))
        #expect(address.bytes.count == address.family.addressLength)
    }

    @Test func anIPv4MappedAddressIsTheIPv4One() throws {
        let mapped = try #require(IPAddress("::ffff:10.42.0.5"))
        #expect(mapped == IPAddress("10.42.0.5"))
        #expect(mapped.family == .ipv4 && mapped.description == "10.42.0.5")
    }

    @Test(arguments: ["", "10.43.0", "10.43.0.256", "fd43::10::1", "fe80::1%eth0", "fd43::/64", "web", "1.2.3.4.5"])
    func refusesWhatIsNotAnAddress(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func bytesAreInNetworkOrder() throws {
        #expect(try #require(IPAddress("10.42.1.2")).bytes == [10, 42, 1, 2])
        #expect(try #require(IPAddress("fd42::1:2")).bytes == [0xfd, 0x42] + Array(repeating: 0, count: 10) + [0, 1, 0, 2])
    }

    @Test func cidrsMaskHostBitsAndContainOnlyTheirFamily() throws {
        let six = try #require(IPCIDR("fd42::1/56"))
        #expect(six.description == "fd42::/56")
        #expect(six.contains(try #require(IPAddress("fd42:0:0:ff::9"))))
        #expect(!six.contains(try #require(IPAddress("fd42:0:0:100::9"))))
        let four = try #require(IPCIDR("10.42.7.1/16"))
        #expect(four.description == "10.42.0.0/16")
        #expect(!four.contains(try #require(IPAddress("fd42::10.42.0.1"))))
        #expect(IPCIDR("fd42::/129") == nil)
        #expect(IPCIDR("10.42.0.0/33") == nil)
    }

    @Test func clusterCIDRListsHoldOneRangePerFamily() throws {
        #expect(try IPCIDR.list("10.42.0.0/16,fd42::/56").map(\.family) == [.ipv4, .ipv6])
        #expect(try IPCIDR.list("fd42::/56").map(\.description) == ["fd42::/56"])
        #expect(throws: ProxyError.self) { try IPCIDR.list("10.42.0.0/16,10.44.0.0/16") }
        #expect(throws: ProxyError.self) { try IPCIDR.list("10.42.0.0/16,") }
        #expect(throws: ProxyError.self) { try IPCIDR.list("10.42.0.0/16,fd42::/56,fd43::/56") }
    }
}
