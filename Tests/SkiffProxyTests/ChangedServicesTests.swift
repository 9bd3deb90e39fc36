import SkiffAPI
import SkiffClient
@testable import SkiffProxy
import Testing

@Suite struct ChangedServicesTests {
    @Test func servicesAndTheirSlicesAreNotedByNamespaceAndNameUntilTaken() {
        let changed = ChangedServices()
        changed.note(InformerEvent<Service>.added(Objects.service("ignored", clusterIP: "10.43.0.9")))
        #expect(changed.take() == nil, "nothing is known before the first sync")
        changed.note(InformerEvent<Service>.added(Objects.service("web", clusterIP: "10.43.0.10")))
        var moved = Objects.slice(for: "db", [], namespace: "prod")
        let old = moved
        moved.metadata.labels = [ModelBuilder.serviceNameLabel: "cache"]
        changed.note(InformerEvent<EndpointSlice>.updated(old: old, new: moved))
        #expect(changed.take() == [
            ServiceKey(namespace: "default", name: "web"), ServiceKey(namespace: "prod", name: "db"),
            ServiceKey(namespace: "prod", name: "cache"),
        ])
        #expect(changed.take() == [])
        changed.note(InformerEvent<EndpointSlice>.synced)
        #expect(changed.take() == nil, "a relist may hide any change")
    }
}
