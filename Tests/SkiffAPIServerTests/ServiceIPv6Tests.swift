import Foundation
import SkiffAPI
import Testing

@testable import SkiffAPIServer

@Suite struct ServiceIPv6Tests {
    /// Text in, canonical text out, as Go's net.ParseIP then String() give it.
    static let canonical: [(String, String)] = [
        ("2001:0db8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"),
        ("2001:DB8::1", "2001:db8::1"),
        ("fd00:0043:0000::0005", "fd00:43::5"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        // RFC 5952 4.2.2: one zero group is never "::".
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        // 4.2.3: the longest run, the first of equal ones.
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("0:0:1:0:0:0:1:0", "0:0:1::1:0"),
        ("2001:db8::1:0:0", "2001:db8::1:0:0"),
        // A trailing dotted address fills the last 32 bits; only the mapped form prints dotted.
        ("::1.2.3.4", "::102:304"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
    ]

    @Test(arguments: canonical) func ipv6TextParsesAndPrintsAsGoDoes(text: String, printed: String) throws {
        let address = try #require(ServiceIP(text))
        #expect(address.family == .ipv6)
        #expect(address.description == printed)
        #expect(ServiceIP(printed) == address)
    }

    @Test(arguments: [
        "fe80::1%eth0", "1::2::3", ":1::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1", "::1/128",
        "1.2.3.4:80", " ::1", "::ffff:1.2.3", "1:2:3:4:5:6:7:8::", ":::", "1:2:3:1.2.3.4",
    ])
    func malformedIPv6TextIsRefused(text: String) {
        #expect(ServiceIP(text) == nil)
        #expect(ServiceIP.family(of: text) == nil)
    }

    @Test func anIPv4MappedAddressIsTheIPv4AddressAsGoSeesIt() throws {
        let mapped = try #require(ServiceIP("::ffff:10.43.0.5"))
        #expect(mapped.family == .ipv4 && mapped == ServiceIP("10.43.0.5"))
        #expect(mapped.description == "10.43.0.5")
        #expect(ServiceIP(family: .ipv6, value: 0xFFFF_0A2B_0005).description == "10.43.0.5")
        #expect(ServiceIP.isLoopback("::1") && ServiceIP.isLoopback("::ffff:127.0.0.1") && ServiceIP.isLoopback("127.1.2.3"))
        #expect(!ServiceIP.isLoopback("::2") && !ServiceIP.isLoopback("fe80::1%lo"))
    }

    @Test func ipv6RangesFollowUpstreamsSizeRuleAndHaveNoBroadcastAddress() throws {
        let cidr = try ServiceCIDR("fd00:43::7/108")
        #expect(cidr.description == "fd00:43::/108" && cidr.family == .ipv6)
        #expect(cidr.firstAddress.description == "fd00:43::1")
        #expect(cidr.usableCount == 1_048_575)
        #expect(cidr.staticBandSize == 256)
        #expect(cidr.offset(of: try #require(ServiceIP("fd00:43::"))) == nil)
        #expect(cidr.offset(of: try #require(ServiceIP("fd00:43::f:ffff"))) == 1_048_574)
        #expect(cidr.offset(of: try #require(ServiceIP("fd00:43::10:0"))) == nil)
        #expect(cidr.offset(of: try #require(ServiceIP("10.43.0.5"))) == nil)
        #expect(cidr.address(at: 4).description == "fd00:43::5")
        #expect(try ServiceCIDR("fd00::/126").usableCount == 3)

        #expect(throws: ServiceNetworkError(
            "service CIDR fd00::/64 is too large; for 128-bit addresses, the mask must be >= 108")) {
            try ServiceCIDR("fd00::/64")
        }
        #expect(throws: ServiceNetworkError(
            "service CIDR fd00::/127 is too small; it must hold at least two usable addresses")) {
            try ServiceCIDR("fd00::/127")
        }
        #expect(throws: ServiceNetworkError("invalid service CIDR fd00::/129: prefix longer than 128 bits")) {
            try ServiceCIDR("fd00::/129")
        }
        #expect(throws: ServiceNetworkError("invalid service CIDR fe80::%eth0/112: fe80::%eth0 is not an IP address")) {
            try ServiceCIDR("fe80::%eth0/112")
        }
    }

    @Test func aServiceNetworkHasAtMostOneRangePerFamily() throws {
        let ranges = try ServiceNetwork.parseServiceCIDRs("10.43.0.0/16,fd00:43::/108")
        let network = try ServiceNetwork(serviceCIDRs: ranges, nodePorts: ServiceNetwork.default.nodePorts)
        #expect(network.isDualStack)
        #expect(network.serviceCIDR.description == "10.43.0.0/16")
        #expect(network.secondaryServiceCIDR?.description == "fd00:43::/108")
        #expect(network.serviceCIDR(for: .ipv6)?.description == "fd00:43::/108")
        #expect(network.serviceCIDRs.map(\.description) == ["10.43.0.0/16", "fd00:43::/108"])

        let ipv6First = try ServiceNetwork(
            serviceCIDRs: try ServiceNetwork.parseServiceCIDRs("fd00:43::/108,10.43.0.0/16"), nodePorts: network.nodePorts)
        #expect(ipv6First.serviceCIDR.family == .ipv6 && ipv6First.secondaryServiceCIDR?.family == .ipv4)
        #expect(!ServiceNetwork.default.isDualStack && ServiceNetwork.default.serviceCIDR(for: .ipv6) == nil)

        #expect(throws: ServiceNetworkError(
            "service CIDRs 10.43.0.0/16 and 10.44.0.0/16 must be of different IP families (one IPv4, one IPv6)")) {
            try ServiceNetwork(
                serviceCIDRs: try ServiceNetwork.parseServiceCIDRs("10.43.0.0/16,10.44.0.0/16"), nodePorts: network.nodePorts)
        }
        #expect(throws: ServiceNetworkError("at most two service CIDRs may be given, one per IP family")) {
            try ServiceNetwork.parseServiceCIDRs("10.43.0.0/16,fd00:43::/108,fd00:44::/108")
        }
        #expect(throws: ServiceNetworkError("a service CIDR is empty")) { try ServiceNetwork.parseServiceCIDRs("10.43.0.0/16,") }
        #expect(throws: ServiceNetworkError.self) { try ServiceNetwork.parseServiceCIDRs("10.43.0.0/16,fd00::/64") }
    }

    @Test func ipv6AllocationKeysMustBeCanonical() throws {
        let record = AllocationRecord(
            service: .init(namespace: "default", name: "web", uid: "u1"), allocatedAt: Time(nanosecondsSinceEpoch: 0))
        try AllocationKeys.check(key: "/registry/allocations/serviceips/fd00:43::5", value: record.encoded())
        #expect(throws: ServiceNetworkError(
            "/registry/allocations/serviceips/fd00:43:0::5: fd00:43:0::5 is not an IP address in canonical form")) {
            try AllocationKeys.check(key: "/registry/allocations/serviceips/fd00:43:0::5", value: record.encoded())
        }
        #expect(throws: (any Error).self) {
            try AllocationKeys.check(key: "/registry/allocations/serviceips/::ffff:10.43.0.5", value: record.encoded())
        }
    }
}
