import Foundation
import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

@Suite struct RegistryServiceUpdateTests {
    @Test func theClusterIPIsImmutableButAResentManifestKeepsIt() async throws {
        let fixture = try ServiceFixture()
        let created = try await fixture.services.create(namespace: "default", Objects.service("web", clusterIP: "10.43.0.7"))

        var moved = created
        moved.spec.clusterIP = "10.43.0.8"
        moved.spec.clusterIPs = ["10.43.0.8"]
        let error = await apiError { try await fixture.services.update(namespace: "default", name: "web", moved) }
        #expect(error?.code == 422)
        #expect(error?.message == #"Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.43.0.8"}: "#
            + "may not change once set")

        // kubectl replace with the original manifest: no clusterIP, no resourceVersion.
        var resent = Objects.service("web")
        resent.metadata.labels = ["tier": "front"]
        let updated = try await fixture.services.update(namespace: "default", name: "web", resent).object
        #expect(updated.spec.clusterIP == "10.43.0.7" && updated.spec.clusterIPs == ["10.43.0.7"])
        #expect(updated.spec.ipFamilies == ["IPv4"] && updated.spec.ipFamilyPolicy == "SingleStack")
        #expect(try await fixture.allocationKeys() == ["serviceips/10.43.0.7"])
    }

    @Test func toExternalNameReleasesAndBackAllocates() async throws {
        let fixture = try ServiceFixture()
        let created = try await fixture.services.create(namespace: "default", Objects.service("web", clusterIP: "10.43.0.7"))
        var external = created
        external.spec.type = "ExternalName"
        external.spec.externalName = "example.com"
        let released = try await fixture.services.update(namespace: "default", name: "web", external).object
        #expect(released.spec.clusterIP == nil && released.spec.clusterIPs == nil)
        #expect(released.spec.ipFamilies == nil && released.spec.ipFamilyPolicy == nil)
        #expect(try await fixture.allocationKeys().isEmpty)

        var back = released
        back.spec.type = "ClusterIP"
        back.spec.externalName = nil
        let allocated = try await fixture.services.update(namespace: "default", name: "web", back).object
        let ip = try #require(allocated.spec.clusterIP)
        #expect(allocated.spec.clusterIPs == [ip] && allocated.spec.ipFamilyPolicy == "SingleStack")
        #expect(try await fixture.allocationKeys() == ["serviceips/\(ip)"])
    }

    @Test func nodePortsFollowTheType() async throws {
        let fixture = try ServiceFixture()
        let created = try await fixture.services.create(namespace: "default", Objects.service("web", type: "NodePort"))
        let nodePort = try #require(created.spec.ports?[0].nodePort)
        #expect(try await fixture.allocationKeys().contains("nodeports/\(nodePort)"))

        // A re-sent manifest without nodePorts keeps the allocated one.
        let resent = try await fixture.services.update(namespace: "default", name: "web", Objects.service("web", type: "NodePort")).object
        #expect(resent.spec.ports?[0].nodePort == nodePort)

        var withSecond = resent
        withSecond.spec.ports?.append(Objects.port("metrics", 9090, nodePort: 31000))
        let grown = try await fixture.services.update(namespace: "default", name: "web", withSecond).object
        #expect(grown.spec.ports?[1].nodePort == 31000)
        var shrunk = grown
        shrunk.spec.ports = [grown.spec.ports![0]]
        _ = try await fixture.services.update(namespace: "default", name: "web", shrunk)
        #expect(try await fixture.allocationKeys().contains("nodeports/31000") == false)

        var clusterIP = try await fixture.services.get(namespace: "default", name: "web")
        clusterIP.spec.type = "ClusterIP"
        let dropped = try await fixture.services.update(namespace: "default", name: "web", clusterIP).object
        #expect(dropped.spec.ports?[0].nodePort == nil)
        #expect(dropped.spec.externalTrafficPolicy == nil)
        #expect(try await fixture.allocationKeys().allSatisfy { $0.hasPrefix("serviceips/") })
    }

    @Test func aFailedUpdateGivesBackWhatItTook() async throws {
        let fixture = try ServiceFixture()
        let created = try await fixture.services.create(namespace: "default", Objects.service("web"))
        var invalid = created
        invalid.spec.type = "NodePort"
        invalid.spec.sessionAffinity = "Sometimes"
        let error = await apiError { try await fixture.services.update(namespace: "default", name: "web", invalid) }
        #expect(error?.code == 422)
        #expect(try await fixture.allocationKeys().allSatisfy { $0.hasPrefix("serviceips/") })

        var stale = created
        stale.spec.type = "NodePort"
        stale.metadata.resourceVersion = "1"
        #expect(await apiError { try await fixture.services.update(namespace: "default", name: "web", stale) }?.code == 409)
        #expect(try await fixture.allocationKeys().count == 1)
    }

    @Test func aServiceDeletedThroughItsLastFinalizerReleases() async throws {
        let fixture = try ServiceFixture()
        var service = Objects.service("lb", type: "LoadBalancer")
        service.metadata.finalizers = ["service.kubernetes.io/load-balancer-cleanup"]
        _ = try await fixture.services.create(namespace: "default", service)
        let marked = try await fixture.services.delete(namespace: "default", name: "lb")
        #expect(!marked.deleted)
        #expect(try await fixture.allocationKeys().count == 2)
        var finished = marked.object
        finished.metadata.finalizers = nil
        let result = try await fixture.services.update(namespace: "default", name: "lb", finished)
        #expect(result.deleted)
        #expect(try await fixture.allocationKeys().isEmpty)
    }
}
