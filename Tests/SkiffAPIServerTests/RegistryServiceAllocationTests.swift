import Foundation
import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

@Suite struct RegistryServiceAllocationTests {
    @Test func aNewServiceGetsAClusterIPFromTheDynamicBandAndItsFamilies() async throws {
        let fixture = try ServiceFixture()
        let created = try await fixture.services.create(namespace: "default", Objects.service("web"))
        let ip = try #require(created.spec.clusterIP)
        let offset = try #require(ServiceIP(ip).flatMap(fixture.context.serviceNetwork.serviceCIDR.offset(of:)))
        #expect(offset >= 256)
        #expect(created.spec.clusterIPs == [ip])
        #expect(created.spec.ipFamilies == ["IPv4"])
        #expect(created.spec.ipFamilyPolicy == "SingleStack")
        #expect(try await fixture.allocationKeys() == ["serviceips/\(ip)"])
        let record = try #require(try await fixture.record("serviceips/\(ip)"))
        #expect(record.service == AllocationRecord.Owner(namespace: "default", name: "web", uid: created.metadata.uid ?? ""))
    }

    @Test func aRequestedAddressMustBeFreeAndInRange() async throws {
        let fixture = try ServiceFixture()
        let first = try await fixture.services.create(namespace: "default", Objects.service("a", clusterIP: "10.43.0.5"))
        #expect(first.spec.clusterIPs == ["10.43.0.5"])

        let taken = await apiError {
            try await fixture.services.create(namespace: "default", Objects.service("b", clusterIP: "10.43.0.5"))
        }
        #expect(taken?.code == 422)
        #expect(taken?.message == #"Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.5"}: "#
            + "failed to allocate IP 10.43.0.5: provided IP is already allocated")

        let outside = await apiError {
            try await fixture.services.create(namespace: "default", Objects.service("c", clusterIP: "10.44.0.5"))
        }
        #expect(outside?.message == #"Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.44.0.5"}: "#
            + "failed to allocate IP 10.44.0.5: provided IP is not in the valid range. The range of valid IPs is 10.43.0.0/16")

        let otherFamily = await apiError {
            try await fixture.services.create(namespace: "default", Objects.service("d", clusterIP: "fd00::5"))
        }
        #expect(otherFamily?.message == #"Service "d" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::5"}: "#
            + "IPv6 is not configured on this cluster")

        var dual = Objects.service("e")
        dual.spec.ipFamilyPolicy = "RequireDualStack"
        let dualError = await apiError { try await fixture.services.create(namespace: "default", dual) }
        #expect(dualError?.message == #"Service "e" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": "#
            + "this cluster is not configured for dual-stack services")
        #expect(try await fixture.allocationKeys() == ["serviceips/10.43.0.5"])
    }

    @Test func headlessAndExternalNameServicesTakeNothing() async throws {
        let fixture = try ServiceFixture()
        let headless = try await fixture.services.create(namespace: "default", Objects.service("db", clusterIP: "None"))
        #expect(headless.spec.clusterIPs == ["None"])
        #expect(headless.spec.ipFamilies == ["IPv4"])
        #expect(headless.spec.ipFamilyPolicy == "SingleStack")
        let external = try await fixture.services.create(namespace: "default", Objects.service("ext", type: "ExternalName"))
        #expect(external.spec.clusterIP == nil && external.spec.ipFamilies == nil && external.spec.ipFamilyPolicy == nil)
        #expect(try await fixture.allocationKeys().isEmpty)
    }

    @Test func nodePortServicesGetNodePortsAndRequestedOnesAreChecked() async throws {
        let fixture = try ServiceFixture()
        let ports = [Objects.port("http", 80, nodePort: 30080), Objects.port("https", 443)]
        let created = try await fixture.services.create(namespace: "default", Objects.service("web", type: "NodePort", ports: ports))
        let assigned = try #require(created.spec.ports?[1].nodePort)
        #expect(created.spec.ports?[0].nodePort == 30080)
        #expect((30086...32767).contains(Int(assigned)))
        #expect(Set(try await fixture.allocationKeys()).isSuperset(of: ["nodeports/30080", "nodeports/\(assigned)"]))

        let clash = Objects.service("other", type: "NodePort", ports: [Objects.port("http", 80, nodePort: 30080)])
        let taken = await apiError { try await fixture.services.create(namespace: "default", clash) }
        #expect(taken?.code == 422)
        #expect(taken?.message
            == #"Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"#)

        let outside = Objects.service("far", type: "NodePort", ports: [Objects.port("http", 80, nodePort: 8080)])
        #expect(await apiError { try await fixture.services.create(namespace: "default", outside) }?.message
            == #"Service "far" is invalid: spec.ports[0].nodePort: Invalid value: 8080: "#
            + "provided port is not in the valid range. The range of valid ports is 30000-32767")
        // The failed creates gave back the cluster IPs they had taken.
        #expect(try await fixture.allocationKeys().filter { $0.hasPrefix("serviceips/") }.count == 1)
    }

    @Test func portsSharingANumberShareANodePortAndLoadBalancersGetAHealthCheckPort() async throws {
        let fixture = try ServiceFixture()
        var dnsTCP = Objects.port("dns-tcp", 53)
        dnsTCP.protocol = "TCP"
        var dnsUDP = Objects.port("dns", 53)
        dnsUDP.protocol = "UDP"
        let dns = try await fixture.services.create(
            namespace: "default", Objects.service("dns", type: "NodePort", ports: [dnsTCP, dnsUDP]))
        #expect(dns.spec.ports?[0].nodePort != nil && dns.spec.ports?[0].nodePort == dns.spec.ports?[1].nodePort)

        var balancer = Objects.service("lb", type: "LoadBalancer")
        balancer.spec.externalTrafficPolicy = "Local"
        let created = try await fixture.services.create(namespace: "default", balancer)
        let health = try #require(created.spec.healthCheckNodePort)
        #expect(try await fixture.allocationKeys().contains("nodeports/\(health)"))
        #expect(created.spec.ports?[0].nodePort != nil)
    }

    @Test func deleteReleasesAndTheValuesCanBeTakenAgain() async throws {
        let fixture = try ServiceFixture(cidr: "10.0.0.0/29")
        var names: [String] = []
        for index in 0..<6 {
            names.append(try await fixture.services.create(namespace: "default", Objects.service("s\(index)")).spec.clusterIP ?? "")
        }
        #expect(Set(names).count == 6)
        let full = await apiError { try await fixture.services.create(namespace: "default", Objects.service("s6")) }
        #expect(full?.code == 500)
        #expect(full?.message == "Internal error occurred: failed to allocate a serviceIP: range is full")

        let deleted = try await fixture.services.delete(namespace: "default", name: "s2")
        #expect(deleted.deleted)
        let again = try await fixture.services.create(namespace: "default", Objects.service("s6"))
        #expect(again.spec.clusterIP == names[2])
        #expect(try await fixture.allocationKeys().count == 6)
    }

    @Test func dryRunsShowValuesButTakeNothing() async throws {
        let fixture = try ServiceFixture()
        let dry = try await fixture.services.create(
            namespace: "default", Objects.service("web", type: "NodePort"), options: .dryRunAll)
        #expect(dry.spec.clusterIP != nil && dry.spec.ports?[0].nodePort != nil)
        #expect(try await fixture.allocationKeys().isEmpty)

        _ = try await fixture.services.create(namespace: "default", Objects.service("taken", clusterIP: "10.43.0.9"))
        let dryTaken = await apiError {
            try await fixture.services.create(namespace: "default", Objects.service("b", clusterIP: "10.43.0.9"), options: .dryRunAll)
        }
        #expect(dryTaken?.code == 422)

        let created = try await fixture.services.create(namespace: "default", Objects.service("np", type: "NodePort"))
        var toExternal = created
        toExternal.spec.type = "ExternalName"
        toExternal.spec.externalName = "example.com"
        _ = try await fixture.services.update(namespace: "default", name: "np", toExternal, options: .dryRunAll)
        var dryDelete = DeleteOptions()
        dryDelete.dryRun = ["All"]
        _ = try await fixture.services.delete(namespace: "default", name: "np", options: dryDelete)
        #expect(try await fixture.allocationKeys().count == 3)
    }
}
