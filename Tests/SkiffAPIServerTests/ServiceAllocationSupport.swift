import Foundation
import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

/// One memory store, a clock and a service network, with the registries over them.
struct ServiceFixture {
    let store: MemoryStore
    let clock: FakeClock
    let context: Registry.Context

    /// - Parameters:
    ///   - cidr: the primary service CIDR; a small range makes exhaustion and reuse observable.
    ///   - secondaryCIDR: the other family's range, for a dual-stack cluster.
    init(cidr: String = "10.43.0.0/16", secondaryCIDR: String? = nil, nodePorts: ClosedRange<Int> = 30000...32767) throws {
        try self.init(store: MemoryStore(), clock: FakeClock(), cidr: cidr, secondaryCIDR: secondaryCIDR, nodePorts: nodePorts)
    }

    private init(
        store: MemoryStore, clock: FakeClock, cidr: String, secondaryCIDR: String?, nodePorts: ClosedRange<Int>
    ) throws {
        self.store = store
        self.clock = clock
        var cidrs = [try ServiceCIDR(cidr)]
        if let secondaryCIDR { cidrs.append(try ServiceCIDR(secondaryCIDR)) }
        let network = try ServiceNetwork(serviceCIDRs: cidrs, nodePorts: try NodePortRange(nodePorts))
        context = Registry.Context(now: { clock.now }, serviceNetwork: network)
    }

    /// A dual-stack cluster: 10.43.0.0/16 primary and fd00:43::/108 secondary, unless told otherwise.
    static func dualStack(_ cidr: String = "10.43.0.0/16", _ secondaryCIDR: String = "fd00:43::/108") throws -> ServiceFixture {
        try ServiceFixture(cidr: cidr, secondaryCIDR: secondaryCIDR)
    }

    /// The same store and clock seen by a server started with other service CIDRs.
    func restarted(cidr: String, secondaryCIDR: String? = nil) throws -> ServiceFixture {
        try ServiceFixture(store: store, clock: clock, cidr: cidr, secondaryCIDR: secondaryCIDR, nodePorts: 30000...32767)
    }

    var services: ResourceRegistry<Service> { ResourceRegistry<Service>(store: store, context: context) }
    var registries: Registries { Registries(store: store, context: context) }
    var repair: AllocationRepair { AllocationRepair(store: store, context: context) }

    /// The allocation keys in the store, without their prefix: "serviceips/10.43.0.5".
    func allocationKeys() async throws -> [String] {
        let store: any Store = store
        return try await store.range(.prefix(AllocationKeys.root)).kvs.map { String($0.key.dropFirst(AllocationKeys.root.count)) }
    }

    /// The record of an allocation key ("nodeports/30080").
    func record(_ key: String) async throws -> AllocationRecord? {
        let store: any Store = store
        return try await store.get(AllocationKeys.root + key).kv.map { try AllocationRecord.decode($0.value) }
    }
}

extension Objects {
    static func service(
        _ name: String, type: String? = nil, clusterIP: String? = nil, ports: [ServicePort]? = nil
    ) -> Service {
        var service = Service()
        service.metadata = ObjectMeta(name: name, namespace: "default")
        service.spec.type = type
        service.spec.clusterIP = clusterIP
        service.spec.selector = ["app": name]
        service.spec.ports = ports ?? [ServicePort(name: "http", port: 80, targetPort: .int(8080))]
        if type == ServiceType.externalName {
            service.spec.externalName = "example.com"
            service.spec.ports = nil
        }
        return service
    }

    static func port(_ name: String, _ port: Int32, nodePort: Int32? = nil) -> ServicePort {
        var servicePort = ServicePort(name: name, port: port, targetPort: .int(port))
        servicePort.nodePort = nodePort
        return servicePort
    }
}
