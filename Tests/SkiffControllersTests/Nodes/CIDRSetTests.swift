import Testing

@testable import SkiffControllers

struct CIDRSetTests {
    func next(_ set: inout CIDRSet) throws -> String { try set.allocateNext().description }

    @Test func cutsTheClusterCIDRInOrderAndWrapsPastReleasedSubnets() throws {
        var set = try CIDRSet(clusterCIDR: "10.42.0.0/22", nodeMaskSize: 24)
        #expect(set.capacity == 4)
        try #expect(next(&set) == "10.42.0.0/24")
        let occupied = set.occupy(IPv4Network("10.42.1.0/24")!)
        #expect(occupied)
        try #expect(next(&set) == "10.42.2.0/24")
        set.release(IPv4Network("10.42.0.0/24")!)
        // Released subnets come back only after the rest of the range.
        try #expect(next(&set) == "10.42.3.0/24")
        try #expect(next(&set) == "10.42.0.0/24")
        #expect(throws: CIDRSet.Failure.exhausted(IPv4Network("10.42.0.0/22")!)) { try set.allocateNext() }
    }

    @Test func refusesSubnetsItDoesNotOwnAndBadRanges() throws {
        var set = try CIDRSet(clusterCIDR: "10.42.0.0/16", nodeMaskSize: 24)
        let outside = set.occupy(IPv4Network("10.43.0.0/24")!)
        let otherSize = set.occupy(IPv4Network("10.42.0.0/25")!)
        #expect(!outside && !otherSize)
        #expect(set.usedCount == 0)
        #expect(IPv4Network("10.42.0.7/24")?.description == "10.42.0.0/24")
        for bad in ["10.42.0.0", "10.42.0.0/33", "10.420.0.0/16", "fd00::/64", "a.b.c.d/8"] {
            #expect(IPv4Network(bad) == nil, "\(bad)")
        }
        #expect(throws: CIDRSet.Failure.self) { try CIDRSet(clusterCIDR: "10.42.0.0/24", nodeMaskSize: 24) }
        #expect(throws: CIDRSet.Failure.self) { try CIDRSet(clusterCIDR: "10.42.0.0/8", nodeMaskSize: 31) }
    }
}
