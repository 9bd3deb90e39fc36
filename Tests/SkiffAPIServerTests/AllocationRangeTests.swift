import Foundation
import SkiffAPI
import Testing

@testable import SkiffAPIServer

@Suite struct AllocationRangeTests {
    @Test func theDefaultServiceCIDRStartsWithTheKubernetesServiceAddress() throws {
        let cidr = ServiceNetwork.default.serviceCIDR
        #expect(cidr.description == "10.43.0.0/16")
        #expect(cidr.firstAddress.description == "10.43.0.1")
        #expect(cidr.usableCount == 65534)
        #expect(cidr.staticBandSize == 256)
        #expect(cidr.offset(of: try #require(ServiceIP("10.43.0.0"))) == nil)
        #expect(cidr.offset(of: try #require(ServiceIP("10.43.255.255"))) == nil)
        #expect(cidr.offset(of: try #require(ServiceIP("10.43.255.254"))) == 65533)
        #expect(cidr.offset(of: try #require(ServiceIP("10.44.0.1"))) == nil)
        #expect(cidr.address(at: 4).description == "10.43.0.5")
    }

    @Test func addressesParseSloppilyAndPrintCanonically() throws {
        #expect(ServiceIP("10.43.000.05")?.description == "10.43.0.5")
        #expect(ServiceIP("10.43.0") == nil)
        #expect(ServiceIP("10.43.0.256") == nil)
        #expect(ServiceIP.family(of: "fd00::1") == .ipv6)
        #expect(ServiceIP.family(of: "10.0.0.1") == .ipv4)
        #expect(ServiceIP.family(of: "web") == nil)
    }

    @Test func cidrsAreMaskedAndBoundedAsUpstream() throws {
        #expect(try ServiceCIDR("10.43.7.9/16").description == "10.43.0.0/16")
        #expect(try ServiceCIDR("10.0.0.0/28").staticBandSize == 0)
        #expect(try ServiceCIDR("10.0.0.0/27").staticBandSize == 16)
        #expect(throws: ServiceNetworkError(
            "service CIDR 10.0.0.0/8 is too large; for 32-bit addresses, the mask must be >= 12")) {
            try ServiceCIDR("10.0.0.0/8")
        }
        #expect(throws: ServiceNetworkError.self) { try ServiceCIDR("10.0.0.0/31") }
        #expect(throws: ServiceNetworkError.self) { try ServiceCIDR("10.0.0.0") }
    }

    @Test func nodePortRangesParseAndHaveUpstreamsStaticBand() throws {
        let range = try NodePortRange("30000-32767")
        #expect(range.description == "30000-32767")
        #expect(range.size == 2768)
        #expect(range.staticBandSize == 86)
        #expect(ServiceNetwork.default.nodePorts == range)
        #expect(throws: ServiceNetworkError.self) { try NodePortRange("32767-30000") }
        #expect(throws: ServiceNetworkError.self) { try NodePortRange(0...10) }
    }

    @Test func allocationKeysAreCheckedForSkiffStorePut() throws {
        let record = AllocationRecord(
            service: .init(namespace: "default", name: "web", uid: "u1"), allocatedAt: Time(nanosecondsSinceEpoch: 0))
        try AllocationKeys.check(key: "/registry/allocations/serviceips/10.43.0.5", value: record.encoded())
        try AllocationKeys.check(key: "/registry/allocations/nodeports/30080", value: record.encoded())
        #expect(throws: (any Error).self) {
            try AllocationKeys.check(key: "/registry/allocations/serviceips/10.43.0.05", value: record.encoded())
        }
        #expect(throws: (any Error).self) {
            try AllocationKeys.check(key: "/registry/allocations/nodeports/30080", value: Data("{}".utf8))
        }
        #expect(throws: (any Error).self) {
            try AllocationKeys.check(key: "/registry/allocations/other/1", value: record.encoded())
        }
        #expect(try AllocationRecord.decode(record.encoded()) == record)
    }
}
