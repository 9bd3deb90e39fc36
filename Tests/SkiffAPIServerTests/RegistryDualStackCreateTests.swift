import Foundation
import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

@Suite struct RegistryDualStackCreateTests {
    static func service(_ name: String, policy: String?, families: [String]? = nil, clusterIPs: [String]? = nil) -> Service {
        var service = Objects.service(name, clusterIP: clusterIPs?.first)
        service.spec.ipFamilyPolicy = policy
        service.spec.ipFamilies = families
        service.spec.clusterIPs = clusterIPs
        return service
    }

    @Test func eachPolicyGetsItsFamiliesOnADualStackCluster() async throws {
        let fixture = try ServiceFixture.dualStack()
        let single = try await fixture.services.create(namespace: "default", Objects.service("single"))
        #expect(single.spec.ipFamilyPolicy == "SingleStack" && single.spec.ipFamilies == ["IPv4"])
        #expect(single.spec.clusterIPs?.count == 1 && ServiceIP.family(of: single.spec.clusterIP ?? "") == .ipv4)

        for policy in ["PreferDualStack", "RequireDualStack"] {
            let created = try await fixture.services.create(namespace: "default", Self.service(policy.lowercased(), policy: policy))
            let ips = try #require(created.spec.clusterIPs)
            #expect(created.spec.ipFamilies == ["IPv4", "IPv6"])
            #expect(ips.count == 2 && created.spec.clusterIP == ips[0])
            #expect(ServiceIP.family(of: ips[0]) == .ipv4 && ServiceIP.family(of: ips[1]) == .ipv6)
            let offset = try #require(ServiceIP(ips[1]).flatMap(fixture.context.serviceNetwork.secondaryServiceCIDR!.offset(of:)))
            #expect(offset >= 256)
            for ip in ips {
                #expect(try await fixture.record("serviceips/\(ip)")?.service.uid == created.metadata.uid)
            }
        }
        #expect(try await fixture.allocationKeys().count == 5)
    }

    @Test func requestedFamiliesAndAddressesChooseTheOrder() async throws {
        let fixture = try ServiceFixture.dualStack()
        let ipv6First = try await fixture.services.create(
            namespace: "default", Self.service("v6-first", policy: "PreferDualStack", families: ["IPv6", "IPv4"]))
        #expect(ipv6First.spec.ipFamilies == ["IPv6", "IPv4"])
        #expect((ipv6First.spec.clusterIPs ?? []).map(ServiceIP.family(of:)) == [.ipv6, .ipv4])
        #expect(ipv6First.spec.clusterIP == ipv6First.spec.clusterIPs?.first)

        let ipv6Only = try await fixture.services.create(
            namespace: "default", Self.service("v6-only", policy: "SingleStack", families: ["IPv6"]))
        #expect(ipv6Only.spec.ipFamilies == ["IPv6"] && ipv6Only.spec.clusterIPs?.count == 1)
        #expect(ServiceIP.family(of: ipv6Only.spec.clusterIP ?? "") == .ipv6)

        // The family of a requested address comes first; the policy adds the other.
        let byAddress = try await fixture.services.create(
            namespace: "default", Self.service("by-address", policy: "RequireDualStack", clusterIPs: ["fd00:43::10"]))
        #expect(byAddress.spec.ipFamilies == ["IPv6", "IPv4"])
        #expect(byAddress.spec.clusterIPs?.first == "fd00:43::10" && byAddress.spec.clusterIPs?.count == 2)

        let both = try await fixture.services.create(
            namespace: "default", Self.service("both", policy: "PreferDualStack", clusterIPs: ["10.43.0.10", "fd00:43::0:11"]))
        #expect(both.spec.clusterIPs == ["10.43.0.10", "fd00:43::0:11"] && both.spec.ipFamilies == ["IPv4", "IPv6"])
        #expect(Set(try await fixture.allocationKeys()).isSuperset(of: ["serviceips/10.43.0.10", "serviceips/fd00:43::11"]))
    }

    @Test func badCombinationsAreRefusedAsUpstreamWordsThem() async throws {
        let fixture = try ServiceFixture.dualStack()
        let cases: [(Service, String)] = [
            (Self.service("a", policy: "SingleStack", families: ["IPv4", "IPv6"]),
             #"Service "a" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": "#
                + "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"),
            (Self.service("b", policy: "PreferDualStack", clusterIPs: ["10.43.0.10", "10.43.0.11"]),
             #"Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.10", "10.43.0.11"}: "#
                + "may specify no more than one IP for each IP family"),
            (Self.service("c", policy: nil, families: ["IPv4"], clusterIPs: ["fd00:43::5"]),
             #"Service "c" is invalid: spec.clusterIPs[0]: Invalid value: "fd00:43::5": "#
                + "expected an IPv4 value as indicated by `ipFamilies[0]`"),
            (Self.service("d", policy: nil, clusterIPs: ["fd00:44::5"]),
             #"Service "d" is invalid: spec.clusterIPs: Invalid value: []string{"fd00:44::5"}: "#
                + "failed to allocate IP fd00:44::5: provided IP is not in the valid range. The range of valid IPs is fd00:43::/108"),
        ]
        for (service, message) in cases {
            let error = await apiError { try await fixture.services.create(namespace: "default", service) }
            #expect(error?.code == 422)
            #expect(error?.message == message)
        }
        #expect(try await fixture.allocationKeys().isEmpty)
    }

    @Test func aFailedSecondaryGivesBackThePrimary() async throws {
        let fixture = try ServiceFixture.dualStack()
        _ = try await fixture.services.create(
            namespace: "default", Self.service("holder", policy: "SingleStack", clusterIPs: ["fd00:43::10"]))
        let clash = Self.service("clash", policy: "RequireDualStack", clusterIPs: ["10.43.0.20", "fd00:43::10"])
        let error = await apiError { try await fixture.services.create(namespace: "default", clash) }
        #expect(error?.message == #"Service "clash" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.20", "fd00:43::10"}: "#
            + "failed to allocate IP fd00:43::10: provided IP is already allocated")
        #expect(try await fixture.allocationKeys() == ["serviceips/fd00:43::10"])
    }

    @Test(arguments: [("10.43.0.0/16", "fd00:43::/126"), ("10.43.0.0/30", "fd00:43::/108")])
    func eitherRangeFullingUpFailsTheCreateAndFreesTheOtherFamily(ipv4: String, ipv6: String) async throws {
        let fixture = try ServiceFixture.dualStack(ipv4, ipv6)
        let room = min(try ServiceCIDR(ipv4).usableCount, try ServiceCIDR(ipv6).usableCount)
        for index in 0..<room {
            _ = try await fixture.services.create(namespace: "default", Self.service("s\(index)", policy: "RequireDualStack"))
        }
        let full = await apiError {
            try await fixture.services.create(namespace: "default", Self.service("over", policy: "PreferDualStack"))
        }
        #expect(full?.code == 500)
        #expect(full?.message == "Internal error occurred: failed to allocate a serviceIP: range is full")
        #expect(try await fixture.allocationKeys().count == 2 * room)

        // The family with room left still serves single-stack Services.
        let roomy = try ServiceCIDR(ipv4).usableCount > room ? "IPv4" : "IPv6"
        let single = try await fixture.services.create(
            namespace: "default", Self.service("single", policy: "SingleStack", families: [roomy]))
        #expect(single.spec.ipFamilies == [roomy])
    }

    @Test func deleteAndDryRunsHandleBothFamilies() async throws {
        let fixture = try ServiceFixture.dualStack()
        let dry = try await fixture.services.create(
            namespace: "default", Self.service("web", policy: "RequireDualStack"), options: .dryRunAll)
        #expect(dry.spec.clusterIPs?.count == 2)
        #expect(try await fixture.allocationKeys().isEmpty)

        let created = try await fixture.services.create(namespace: "default", Self.service("web", policy: "RequireDualStack"))
        #expect(try await fixture.allocationKeys().count == 2)
        let deleted = try await fixture.services.delete(namespace: "default", name: "web")
        #expect(deleted.deleted)
        #expect(try await fixture.allocationKeys().isEmpty)
        let again = try await fixture.services.create(
            namespace: "default", Self.service("again", policy: "RequireDualStack", clusterIPs: created.spec.clusterIPs))
        #expect(again.spec.clusterIPs == created.spec.clusterIPs)
    }

    @Test func headlessServicesGetFamiliesButNoAddresses() async throws {
        let fixture = try ServiceFixture.dualStack()
        let headless = try await fixture.services.create(
            namespace: "default", Self.service("db", policy: "PreferDualStack", clusterIPs: ["None"]))
        #expect(headless.spec.clusterIPs == ["None"] && headless.spec.ipFamilies == ["IPv4", "IPv6"])
        var selectorless = Objects.service("ext", clusterIP: "None")
        selectorless.spec.selector = nil
        let created = try await fixture.services.create(namespace: "default", selectorless)
        #expect(created.spec.ipFamilyPolicy == "RequireDualStack" && created.spec.ipFamilies == ["IPv4", "IPv6"])
        #expect(try await fixture.allocationKeys().isEmpty)
    }

    @Test func theKubernetesServiceStaysSingleStackOnThePrimaryFamily() async throws {
        for (fixture, address) in [(try ServiceFixture.dualStack(), "10.43.0.1"),
                                   (try ServiceFixture.dualStack("fd00:43::/108", "10.43.0.0/16"), "fd00:43::1")] {
            try await fixture.registries.ensureKubernetesService(advertiseAddress: "192.168.1.10", port: 6443)
            let service = try await fixture.services.get(namespace: "default", name: "kubernetes")
            #expect(service.spec.clusterIPs == [address] && service.spec.ipFamilyPolicy == "SingleStack")
            #expect(service.spec.ipFamilies == [ServiceIP.family(of: address)?.rawValue ?? ""])
            #expect(try await fixture.allocationKeys() == ["serviceips/\(address)"])
        }
    }

    @Test func anIPv6OnlyClusterRefusesIPv4() async throws {
        let fixture = try ServiceFixture(cidr: "fd00:43::/108")
        let created = try await fixture.services.create(namespace: "default", Objects.service("web"))
        #expect(created.spec.ipFamilies == ["IPv6"] && ServiceIP.family(of: created.spec.clusterIP ?? "") == .ipv6)
        let prefer = try await fixture.services.create(namespace: "default", Self.service("prefer", policy: "PreferDualStack"))
        #expect(prefer.spec.ipFamilies == ["IPv6"] && prefer.spec.clusterIPs?.count == 1)
        let error = await apiError { try await fixture.services.create(namespace: "default", Objects.service("v4", clusterIP: "10.43.0.5")) }
        #expect(error?.message == #"Service "v4" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.43.0.5"}: "#
            + "IPv4 is not configured on this cluster")
    }
}
