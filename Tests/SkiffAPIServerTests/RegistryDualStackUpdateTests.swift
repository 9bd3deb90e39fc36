import Foundation
import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

@Suite struct RegistryDualStackUpdateTests {
    @Test func upgradingToDualStackAllocatesTheSecondary() async throws {
        let fixture = try ServiceFixture.dualStack()
        let created = try await fixture.services.create(namespace: "default", Objects.service("web", clusterIP: "10.43.0.7"))
        #expect(created.spec.ipFamilies == ["IPv4"])

        var prefer = created
        prefer.spec.ipFamilyPolicy = "PreferDualStack"
        let upgraded = try await fixture.services.update(namespace: "default", name: "web", prefer).object
        let ips = try #require(upgraded.spec.clusterIPs)
        #expect(upgraded.spec.ipFamilies == ["IPv4", "IPv6"] && ips.count == 2 && ips[0] == "10.43.0.7")
        #expect(upgraded.spec.clusterIP == "10.43.0.7" && ServiceIP.family(of: ips[1]) == .ipv6)
        #expect(try await fixture.allocationKeys() == ["serviceips/10.43.0.7", "serviceips/\(ips[1])"])

        // A named secondary is taken as asked.
        _ = try await fixture.services.create(namespace: "default", Objects.service("api", clusterIP: "10.43.0.8"))
        var require = try await fixture.services.get(namespace: "default", name: "api")
        require.spec.ipFamilyPolicy = "RequireDualStack"
        require.spec.clusterIPs = ["10.43.0.8", "fd00:43::8"]
        let named = try await fixture.services.update(namespace: "default", name: "api", require).object
        #expect(named.spec.clusterIPs == ["10.43.0.8", "fd00:43::8"] && named.spec.ipFamilies == ["IPv4", "IPv6"])
        #expect(try await fixture.record("serviceips/fd00:43::8")?.service.uid == named.metadata.uid)
    }

    @Test func downgradingToSingleStackReleasesTheSecondary() async throws {
        let fixture = try ServiceFixture.dualStack()
        var service = Objects.service("web", clusterIP: "10.43.0.7")
        service.spec.clusterIPs = ["10.43.0.7", "fd00:43::7"]
        service.spec.ipFamilyPolicy = "PreferDualStack"
        let created = try await fixture.services.create(namespace: "default", service)

        var dropOnlyTheIP = created
        dropOnlyTheIP.spec.clusterIPs = ["10.43.0.7"]
        let refused = await apiError { try await fixture.services.update(namespace: "default", name: "web", dropOnlyTheIP) }
        #expect(refused?.message == #"Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "PreferDualStack": "#
            + "must be 'SingleStack' to release the secondary cluster IP")

        // SingleStack with the lists left as they were is clear intent to drop the secondary.
        var single = created
        single.spec.ipFamilyPolicy = "SingleStack"
        let downgraded = try await fixture.services.update(namespace: "default", name: "web", single).object
        #expect(downgraded.spec.clusterIPs == ["10.43.0.7"] && downgraded.spec.ipFamilies == ["IPv4"])
        #expect(try await fixture.allocationKeys() == ["serviceips/10.43.0.7"])
        let reuse = try await fixture.services.create(
            namespace: "default", Objects.service("other", clusterIP: "fd00:43::7"))
        #expect(reuse.spec.clusterIPs == ["fd00:43::7"])
    }

    @Test func thePrimaryFamilyCannotChange() async throws {
        let fixture = try ServiceFixture.dualStack()
        let created = try await fixture.services.create(namespace: "default", Objects.service("web", clusterIP: "10.43.0.7"))
        var swapped = created
        swapped.spec.ipFamilies = ["IPv6"]
        let mismatch = await apiError { try await fixture.services.update(namespace: "default", name: "web", swapped) }
        #expect(mismatch?.message == #"Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "10.43.0.7": "#
            + "expected an IPv6 value as indicated by `ipFamilies[0]`")

        var dual = created
        dual.spec.ipFamilyPolicy = "RequireDualStack"
        let upgraded = try await fixture.services.update(namespace: "default", name: "web", dual).object
        var reordered = upgraded
        reordered.spec.ipFamilies = ["IPv6", "IPv4"]
        reordered.spec.clusterIPs = upgraded.spec.clusterIPs.map { Array($0.reversed()) }
        reordered.spec.clusterIP = reordered.spec.clusterIPs?.first
        let error = await apiError { try await fixture.services.update(namespace: "default", name: "web", reordered) }
        #expect(error?.code == 422)
        #expect(error?.message.contains(#"spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv6", "IPv4"}: may not change once set"#) == true)
        #expect(try await fixture.allocationKeys().count == 2)
    }

    @Test func aFailedUpgradeGivesBackTheSecondaryAndDryRunsTakeNothing() async throws {
        let fixture = try ServiceFixture.dualStack()
        let created = try await fixture.services.create(namespace: "default", Objects.service("web"))
        var dry = created
        dry.spec.ipFamilyPolicy = "RequireDualStack"
        let shown = try await fixture.services.update(namespace: "default", name: "web", dry, options: .dryRunAll).object
        #expect(shown.spec.clusterIPs?.count == 2)
        #expect(try await fixture.allocationKeys().count == 1)

        var invalid = dry
        invalid.spec.sessionAffinity = "Sometimes"
        #expect(await apiError { try await fixture.services.update(namespace: "default", name: "web", invalid) }?.code == 422)
        #expect(try await fixture.allocationKeys() == ["serviceips/\(created.spec.clusterIP ?? "")"])
    }

    @Test func toExternalNameReleasesBothFamilies() async throws {
        let fixture = try ServiceFixture.dualStack()
        var service = Objects.service("web")
        service.spec.ipFamilyPolicy = "RequireDualStack"
        let created = try await fixture.services.create(namespace: "default", service)
        var external = created
        external.spec.type = "ExternalName"
        external.spec.externalName = "example.com"
        let released = try await fixture.services.update(namespace: "default", name: "web", external).object
        #expect(released.spec.clusterIPs == nil && released.spec.ipFamilies == nil)
        #expect(try await fixture.allocationKeys().isEmpty)
    }

    @Test func preferDualStackIsNotUpgradedByTheClusterBecomingDualStack() async throws {
        let singleStack = try ServiceFixture()
        var service = Objects.service("web")
        service.spec.ipFamilyPolicy = "PreferDualStack"
        let created = try await singleStack.services.create(namespace: "default", service)
        #expect(created.spec.ipFamilies == ["IPv4"])

        let dualStack = try singleStack.restarted(cidr: "10.43.0.0/16", secondaryCIDR: "fd00:43::/108")
        var relabelled = created
        relabelled.metadata.labels = ["tier": "front"]
        let kept = try await dualStack.services.update(namespace: "default", name: "web", relabelled).object
        #expect(kept.spec.ipFamilies == ["IPv4"] && kept.spec.clusterIPs == created.spec.clusterIPs)

        var require = kept
        require.spec.ipFamilyPolicy = "RequireDualStack"
        let upgraded = try await dualStack.services.update(namespace: "default", name: "web", require).object
        #expect(upgraded.spec.ipFamilies == ["IPv4", "IPv6"] && upgraded.spec.clusterIPs?.count == 2)
    }
}
