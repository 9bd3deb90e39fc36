import Foundation
import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

@Suite struct AllocationRepairTests {
    @Test func concurrentCreatesOnTwoServersNeverShareAnAddress() async throws {
        let fixture = try ServiceFixture(cidr: "10.0.0.0/28")
        // Two API servers over one store: nothing but the store is shared.
        let servers = [fixture.services, ResourceRegistry<Service>(store: fixture.store, context: fixture.context)]
        let ips = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<14 {
                group.addTask {
                    try await servers[index % 2].create(namespace: "default", Objects.service("s\(index)")).spec.clusterIP ?? ""
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(ips).count == 14)
        #expect(try await fixture.allocationKeys().count == 14)
        #expect(await apiError { try await fixture.services.create(namespace: "default", Objects.service("s14")) }?.code == 500)
    }

    @Test func aCrashBetweenAllocatingAndWritingLeavesAKeyRepairFrees() async throws {
        let fixture = try ServiceFixture()
        var service = Objects.service("web", type: "NodePort", ports: [Objects.port("http", 80, nodePort: 30080)])
        service.spec.clusterIP = "10.43.0.9"
        service.metadata.uid = "lost"
        // The allocation lands, then the server dies before storing the Service.
        _ = try await fixture.services.serviceAllocator.allocateCreate(&service, dryRun: false)
        #expect(try await fixture.allocationKeys() == ["nodeports/30080", "serviceips/10.43.0.9"])

        let early = try await fixture.repair.repair()
        #expect(early.released.isEmpty)
        let stillTaken = await apiError {
            try await fixture.services.create(namespace: "default", Objects.service("web", clusterIP: "10.43.0.9"))
        }
        #expect(stillTaken?.code == 422)

        fixture.clock.advance(seconds: 61)
        let report = try await fixture.repair.repair()
        #expect(Set(report.released) == [AllocationKeys.serviceIPs + "10.43.0.9", AllocationKeys.nodePorts + "30080"])
        #expect(try await fixture.allocationKeys().isEmpty)
        let created = try await fixture.services.create(namespace: "default", Objects.service("web", clusterIP: "10.43.0.9"))
        #expect(created.spec.clusterIP == "10.43.0.9")
        #expect(try await fixture.repair.repair() == AllocationRepair.Report())
    }

    @Test func repairRecordsValuesServicesHoldWithoutKeys() async throws {
        let fixture = try ServiceFixture()
        let created = try await fixture.services.create(
            namespace: "default", Objects.service("web", type: "NodePort", ports: [Objects.port("http", 80, nodePort: 30080)]))
        let store: any Store = fixture.store
        for key in try await fixture.allocationKeys() { _ = try await store.delete(AllocationKeys.root + key) }

        let report = try await fixture.repair.repair()
        #expect(Set(report.recorded) == [AllocationKeys.serviceIPs + (created.spec.clusterIP ?? ""), AllocationKeys.nodePorts + "30080"])
        let record = try #require(try await fixture.record("nodeports/30080"))
        #expect(record.service.uid == created.metadata.uid)
        let clash = Objects.service("other", type: "NodePort", ports: [Objects.port("http", 80, nodePort: 30080)])
        #expect(await apiError { try await fixture.services.create(namespace: "default", clash) }?.code == 422)
    }

    @Test func repairPointsAWrongRecordAtTheHolderAndReleaseKeepsOthersValues() async throws {
        let fixture = try ServiceFixture()
        let created = try await fixture.services.create(namespace: "default", Objects.service("web", clusterIP: "10.43.0.9"))
        let key = AllocationKeys.serviceIPs + "10.43.0.9"
        let stranger = AllocationRecord(service: .init(namespace: "x", name: "y", uid: "z"), allocatedAt: fixture.clock.now)
        let store: any Store = fixture.store
        _ = try await store.put(key, value: stranger.encoded())

        // A release on behalf of someone else leaves the key alone.
        let pool = try #require(fixture.services.serviceAllocator.clusterIPPools[.ipv4])
        #expect(await pool.release(8, from: AllocationRecord.Owner(namespace: "a", name: "b", uid: "c")) == false)
        #expect(try await fixture.repair.repair().reassigned == [key])
        #expect(try await fixture.record("serviceips/10.43.0.9")?.service.uid == created.metadata.uid)
    }

    @Test func aRecordOutlivingItsServicesChangeIsFreedAfterTheGracePeriod() async throws {
        let fixture = try ServiceFixture()
        let created = try await fixture.services.create(namespace: "default", Objects.service("web", clusterIP: "10.43.0.9"))
        // As if an update to ExternalName stored the Service and crashed before releasing.
        var external = created
        external.spec.type = "ExternalName"
        external.spec.externalName = "example.com"
        external.spec.clusterIP = nil
        external.spec.clusterIPs = nil
        external.spec.ipFamilies = nil
        external.spec.ipFamilyPolicy = nil
        let store: any Store = fixture.store
        _ = try await store.put("/registry/services/default/web", value: try StoredObjects.encode(external))
        #expect(try await fixture.repair.repair().released.isEmpty)
        fixture.clock.advance(seconds: 60)
        #expect(try await fixture.repair.repair().released == [AllocationKeys.serviceIPs + "10.43.0.9"])
    }
}
