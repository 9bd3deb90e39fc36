import Foundation
import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

@Suite struct AllocationRepairDualStackTests {
    static func dualStackService(_ name: String, clusterIPs: [String]) -> Service {
        var service = Objects.service(name, clusterIP: clusterIPs.first)
        service.spec.clusterIPs = clusterIPs
        service.spec.ipFamilyPolicy = "RequireDualStack"
        return service
    }

    @Test func repairRecordsAndFreesKeysOfBothFamilies() async throws {
        let fixture = try ServiceFixture.dualStack()
        let created = try await fixture.services.create(
            namespace: "default", Self.dualStackService("web", clusterIPs: ["10.43.0.9", "fd00:43::9"]))
        let store: any Store = fixture.store
        for key in try await fixture.allocationKeys() { _ = try await store.delete(AllocationKeys.root + key) }

        let recorded = try await fixture.repair.repair()
        #expect(recorded.recorded == [AllocationKeys.serviceIPs + "10.43.0.9", AllocationKeys.serviceIPs + "fd00:43::9"])
        #expect(try await fixture.record("serviceips/fd00:43::9")?.service.uid == created.metadata.uid)

        // A create that died between allocating and writing leaves keys in both pools.
        var lost = Self.dualStackService("lost", clusterIPs: ["10.43.0.10", "fd00:43::10"])
        lost.metadata.uid = "lost"
        _ = try await fixture.services.serviceAllocator.allocateCreate(&lost, dryRun: false)
        #expect(try await fixture.repair.repair().released.isEmpty)
        fixture.clock.advance(seconds: 61)
        let report = try await fixture.repair.repair()
        #expect(report.released == [AllocationKeys.serviceIPs + "10.43.0.10", AllocationKeys.serviceIPs + "fd00:43::10"])
        #expect(try await fixture.allocationKeys() == ["serviceips/10.43.0.9", "serviceips/fd00:43::9"])
    }

    @Test func aSingleStackServerKeepsTheIPv6KeysServicesStillHold() async throws {
        let dualStack = try ServiceFixture.dualStack()
        _ = try await dualStack.services.create(
            namespace: "default", Self.dualStackService("web", clusterIPs: ["10.43.0.9", "fd00:43::9"]))
        let store: any Store = dualStack.store
        _ = try await store.delete(AllocationKeys.serviceIPs + "10.43.0.9")
        _ = try await store.delete(AllocationKeys.serviceIPs + "fd00:43::9")
        _ = try await dualStack.services.create(
            namespace: "default", Self.dualStackService("api", clusterIPs: ["10.43.0.10", "fd00:43::10"]))

        // Restarted without the IPv6 range: the IPv4 key comes back, the IPv6 address
        // is out of range (no key written), and a held IPv6 key is not freed.
        let singleStack = try dualStack.restarted(cidr: "10.43.0.0/16")
        singleStack.clock.advance(seconds: 61)
        let report = try await singleStack.repair.repair()
        #expect(report.recorded == [AllocationKeys.serviceIPs + "10.43.0.9"])
        #expect(report.released.isEmpty)
        #expect(try await singleStack.allocationKeys() == ["serviceips/10.43.0.10", "serviceips/10.43.0.9", "serviceips/fd00:43::10"])

        // Deleting through the single-stack server frees what it can and leaves the rest to repair.
        _ = try await singleStack.services.delete(namespace: "default", name: "api")
        #expect(try await singleStack.allocationKeys() == ["serviceips/10.43.0.9", "serviceips/fd00:43::10"])
        #expect(try await singleStack.repair.repair().released == [AllocationKeys.serviceIPs + "fd00:43::10"])
    }
}
