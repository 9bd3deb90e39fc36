import Foundation
import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

@Suite struct KubernetesServiceTests {
    @Test func theServiceAndItsEndpointsAreCreatedAsUpstreamShapesThem() async throws {
        let fixture = try ServiceFixture()
        try await fixture.registries.ensureKubernetesService(advertiseAddress: "192.168.1.10", port: 6443)

        let service = try await fixture.services.get(namespace: "default", name: "kubernetes")
        #expect(service.metadata.labels == ["component": "apiserver", "provider": "kubernetes"])
        #expect(service.spec.clusterIP == "10.43.0.1" && service.spec.clusterIPs == ["10.43.0.1"])
        #expect(service.spec.type == "ClusterIP" && service.spec.selector == nil)
        #expect(service.spec.ports == [ServicePort(name: "https", protocol: "TCP", port: 443, targetPort: .int(6443))])
        #expect(try await fixture.allocationKeys() == ["serviceips/10.43.0.1"])

        let endpoints = try await fixture.registries.registry(for: Endpoints.self).get(namespace: "default", name: "kubernetes")
        #expect(endpoints.metadata.labels == ["endpointslice.kubernetes.io/skip-mirror": "true"])
        #expect(endpoints.subsets?.first?.addresses?.map(\.ip) == ["192.168.1.10"])
        #expect(endpoints.subsets?.first?.ports?.first?.port == 6443)
        #expect(endpoints.subsets?.first?.ports?.first?.name == "https")

        let slice = try await fixture.registries.registry(for: EndpointSlice.self).get(namespace: "default", name: "kubernetes")
        #expect(slice.metadata.labels == ["kubernetes.io/service-name": "kubernetes"])
        #expect(slice.addressType == "IPv4")
        #expect(slice.endpoints.map(\.addresses) == [["192.168.1.10"]])
        #expect(slice.endpoints.first?.conditions.ready == true)
        #expect(slice.ports.first?.port == 6443 && slice.ports.first?.protocol == "TCP")
    }

    @Test func ensuringAgainWritesNothingAndANewAddressMovesTheEndpoints() async throws {
        let fixture = try ServiceFixture()
        try await fixture.registries.ensureKubernetesService(advertiseAddress: "192.168.1.10", port: 6443)
        let store: any Store = fixture.store
        let revision = try await store.currentRevision
        try await fixture.registries.ensureKubernetesService(advertiseAddress: "192.168.1.10", port: 6443)
        #expect(try await store.currentRevision == revision)

        try await fixture.registries.ensureKubernetesService(advertiseAddress: "192.168.1.20", port: 7443)
        let endpoints = try await fixture.registries.registry(for: Endpoints.self).get(namespace: "default", name: "kubernetes")
        #expect(endpoints.subsets?.first?.addresses?.map(\.ip) == ["192.168.1.20"])
        let slice = try await fixture.registries.registry(for: EndpointSlice.self).get(namespace: "default", name: "kubernetes")
        #expect(slice.endpoints.map(\.addresses) == [["192.168.1.20"]] && slice.ports.first?.port == 7443)
        let service = try await fixture.services.get(namespace: "default", name: "kubernetes")
        #expect(service.spec.ports?.first?.targetPort == .int(7443) && service.spec.clusterIP == "10.43.0.1")
    }

    @Test func aBadAddressIsRefused() async throws {
        let fixture = try ServiceFixture()
        let error = await apiError { try await fixture.registries.ensureKubernetesService(advertiseAddress: "localhost") }
        #expect(error?.code == 400)
    }
}
