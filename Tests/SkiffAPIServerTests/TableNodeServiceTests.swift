import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// Nodes' STATUS and ROLES; services' TYPE, IPs and PORT(S); endpoints and slices.
@Suite struct TableNodeServiceTests {
    typealias F = TableFixtures

    @Test func nodeStatusComesFromTheReadyConditionAndCordoning() throws {
        #expect(try F.cells(F.node("a"))["Status"] == "Ready")
        #expect(try F.cells(F.node("a", ready: "False"))["Status"] == "NotReady")
        #expect(try F.cells(F.node("a", ready: "Unknown"))["Status"] == "NotReady")
        #expect(try F.cells(F.node("a", ready: nil))["Status"] == "Unknown")
        var cordoned = F.node("a")
        cordoned.spec.unschedulable = true
        #expect(try F.cells(cordoned)["Status"] == "Ready,SchedulingDisabled")
        var cordonedDown = F.node("a", ready: "False")
        cordonedDown.spec.unschedulable = true
        #expect(try F.cells(cordonedDown)["Status"] == "NotReady,SchedulingDisabled")
    }

    @Test func nodeRolesComeFromRoleLabelsSorted() throws {
        #expect(try F.cells(F.node("a"))["Roles"] == "<none>")
        let server = F.node("a", labels: [
            "node-role.kubernetes.io/master": "true", "node-role.kubernetes.io/control-plane": "",
            "kubernetes.io/hostname": "a",
        ])
        #expect(try F.cells(server)["Roles"] == "control-plane,master")
        let legacy = F.node("b", labels: ["kubernetes.io/role": "worker", "node-role.kubernetes.io/worker": ""])
        #expect(try F.cells(legacy)["Roles"] == "worker")
        let emptyRole = F.node("c", labels: ["node-role.kubernetes.io/": "", "kubernetes.io/role": ""])
        #expect(try F.cells(emptyRole)["Roles"] == "<none>")
    }

    @Test func nodeWideColumnsShowAddressesAndVersions() throws {
        var node = F.node("a")
        node.status.addresses = [
            NodeAddress(type: "Hostname", address: "a"), NodeAddress(type: "InternalIP", address: "192.168.1.10"),
        ]
        node.status.nodeInfo.osImage = "Debian GNU/Linux 13 (trixie)"
        node.status.nodeInfo.kernelVersion = "6.12.0"
        let cells = try F.cells(node)
        #expect(cells["Age"] == "60m" && cells["Version"] == "v1.32.0")
        #expect(cells["Internal-IP"] == "192.168.1.10")
        #expect(cells["External-IP"] == "<none>")
        #expect(cells["OS-Image"] == "Debian GNU/Linux 13 (trixie)")
        #expect(cells["Kernel-Version"] == "6.12.0")
        #expect(cells["Container-Runtime"] == "<unknown>")
    }

    @Test func servicePortsShowNodePortsAndProtocols() throws {
        let clusterIP = F.service("web", type: "ClusterIP", ports: [F.port(80)])
        let cells = try F.cells(clusterIP)
        #expect(cells["Type"] == "ClusterIP")
        #expect(cells["Cluster-IP"] == "10.43.0.10")
        #expect(cells["External-IP"] == "<none>")
        #expect(cells["Port(s)"] == "80/TCP")

        let nodePort = F.service(
            "web", type: "NodePort", ports: [F.port(80, nodePort: 30080), F.port(53, protocol: "UDP")])
        #expect(try F.cells(nodePort)["Port(s)"] == "80:30080/TCP,53/UDP")

        let headless = F.service("db", type: "ClusterIP", ports: [], clusterIP: "None")
        #expect(try F.cells(headless)["Port(s)"] == "<none>")
        #expect(try F.cells(headless)["Cluster-IP"] == "None")
    }

    @Test func serviceExternalIPsFollowTheType() throws {
        var withExternal = F.service("web", type: "ClusterIP", ports: [F.port(80)])
        withExternal.spec.externalIPs = ["192.0.2.1", "192.0.2.2"]
        #expect(try F.cells(withExternal)["External-IP"] == "192.0.2.1,192.0.2.2")

        var balancer = F.service("lb", type: "LoadBalancer", ports: [F.port(443, nodePort: 31443)])
        #expect(try F.cells(balancer)["External-IP"] == "<pending>")
        var second = LoadBalancerIngress()
        second.ip = "203.0.113.9"
        var first = LoadBalancerIngress()
        first.hostname = "lb.example.com"
        balancer.status.loadBalancer.ingress = [second, first]
        #expect(try F.cells(balancer)["External-IP"] == "203.0.113.9,lb.example.com")

        var external = F.service("mail", type: "ExternalName", ports: [])
        external.spec.clusterIPs = nil
        external.spec.externalName = "mail.example.com"
        let cells = try F.cells(external)
        #expect(cells["External-IP"] == "mail.example.com")
        #expect(cells["Cluster-IP"] == "<none>")
    }

    @Test func serviceSelectorIsSortedLabels() throws {
        var service = F.service("web", type: "ClusterIP", ports: [F.port(80)])
        #expect(try F.cells(service)["Selector"] == "<none>")
        service.spec.selector = ["tier": "front", "app": "web"]
        #expect(try F.cells(service)["Selector"] == "app=web,tier=front")
    }

    @Test func endpointsListUpToThreeAddressesAndCountTheRest() throws {
        var endpoints = Endpoints()
        endpoints.metadata = F.metadata("web")
        #expect(try F.cells(endpoints)["Endpoints"] == "<none>")

        var subset = EndpointSubset()
        subset.addresses = ["10.42.0.1", "10.42.0.2", "fd00::3"].map { ip in
            var address = EndpointAddress()
            address.ip = ip
            return address
        }
        var port = EndpointPort()
        port.port = 8080
        subset.ports = [port]
        endpoints.subsets = [subset]
        #expect(try F.cells(endpoints)["Endpoints"] == "10.42.0.1:8080,10.42.0.2:8080,[fd00::3]:8080")

        var second = EndpointPort()
        second.port = 9090
        endpoints.subsets?[0].ports = [port, second]
        #expect(try F.cells(endpoints)["Endpoints"] == "10.42.0.1:8080,10.42.0.2:8080,[fd00::3]:8080 + 3 more...")

        endpoints.subsets?[0].ports = nil
        #expect(try F.cells(endpoints)["Endpoints"] == "10.42.0.1,10.42.0.2,fd00::3")
    }

    @Test func endpointSlicesListPortsAndAddresses() throws {
        var slice = EndpointSlice()
        slice.metadata = F.metadata("web-abcde")
        slice.addressType = "IPv4"
        #expect(try F.cells(slice)["Ports"] == "<unset>")
        #expect(try F.cells(slice)["Endpoints"] == "<unset>")

        var named = EndpointSlicePort()
        named.name = "http"
        var numbered = EndpointSlicePort()
        numbered.port = 8080
        slice.ports = [numbered, named, EndpointSlicePort()]
        slice.endpoints = (1...4).map { index in
            var endpoint = Endpoint()
            endpoint.addresses = ["10.42.0.\(index)"]
            return endpoint
        }
        let cells = try F.cells(slice)
        #expect(cells["AddressType"] == "IPv4")
        #expect(cells["Ports"] == "8080,http,*")
        #expect(cells["Endpoints"] == "10.42.0.1,10.42.0.2,10.42.0.3 + 1 more...")
    }
}
