import Foundation
import Testing
@testable import SkiffRuntime

struct SandboxCNIConfigTests {
    @Test func theDefaultConflistIsABridgeOnThePodCIDRWithPortmapAndLoopback() throws {
        let list = DefaultNetwork.conflist(podCIDR: "10.42.7.0/24", ipamDataDirectory: "/tmp/leases")
        // Round trip through JSON, as a conflist on disk would be read.
        let parsed = try CNINetworkList(json: JSONValue.from(list.plugins.map(\.configuration)).wrappedAsList(name: list.name, version: list.cniVersion))
        #expect(parsed == list)
        #expect(list.plugins.map(\.type) == ["bridge", "portmap", "loopback"])
        let bridge = list.plugins[0].configuration
        #expect(bridge["bridge"] == "skiff0")
        #expect(bridge["isGateway"] == true)
        #expect(bridge["ipMasq"] == false)
        #expect(bridge["hairpinMode"] == true)
        #expect(bridge["ipam"]?["type"] == "host-local")
        #expect(bridge["ipam"]?["dataDir"] == "/tmp/leases")
        #expect(bridge["ipam"]?["routes"] == [["dst": "0.0.0.0/0"]])
        #expect(list.ipamSubnets == ["10.42.7.0/24"])
        #expect(list.plugins[1].capabilities == ["portMappings"])
        #expect(list.plugins[0].capabilities.isEmpty)
    }

    @Test func aConflistIsCheckedWhenLoaded() {
        func error(_ json: String) -> SandboxError? {
            do { _ = try CNINetworkList(json: Array(json.utf8)); return nil } catch { return error }
        }
        #expect(error(#"{"cniVersion":"1.0.0","name":"ok","plugins":[{"type":"bridge"}]}"#) == nil)
        #expect(error("[]")?.description.contains("not a JSON object") == true)
        #expect(error(#"{"cniVersion":"1.0.0","name":"bad name","plugins":[{"type":"bridge"}]}"#)?.description.contains("name") == true)
        #expect(error(#"{"cniVersion":"2.0.0","name":"n","plugins":[{"type":"bridge"}]}"#)?.description.contains("cniVersion 2.0.0") == true)
        #expect(error(#"{"name":"n","plugins":[{"type":"bridge"}]}"#)?.description.contains("no cniVersion") == true)
        #expect(error(#"{"cniVersion":"1.0.0","name":"n","plugins":[]}"#)?.description.contains("no plugins") == true)
        #expect(error(#"{"cniVersion":"1.0.0","name":"n","plugins":[{"type":"../../bin/sh"}]}"#)?.description.contains("no usable type") == true)
        #expect(error(#"{"cniVersion":"1.0.0","name":"n","plugins":[{"mtu":1500}]}"#)?.description.contains("no usable type") == true)
    }

    @Test func pluginInputCarriesNameVersionPrevResultAndOnlyDeclaredCapabilities() throws {
        let list = DefaultNetwork.conflist()
        let previous: JSONValue = ["cniVersion": "1.0.0", "ips": [["address": "10.42.0.2/24"]]]
        let ports: [String: JSONValue] = ["portMappings": [["hostPort": 8080, "containerPort": 80, "protocol": "tcp"]], "bandwidth": ["ingressRate": 1]]

        let first = list.pluginInput(0, previousResult: nil, capabilityArguments: ports)
        #expect(first["name"] == "skiff")
        #expect(first["cniVersion"] == "1.0.0")
        #expect(first["prevResult"] == nil)
        #expect(first["runtimeConfig"] == nil, "bridge declares no capabilities")

        let portmap = list.pluginInput(1, previousResult: previous, capabilityArguments: ports)
        #expect(portmap["prevResult"] == previous)
        #expect(portmap["runtimeConfig"] == ["portMappings": ports["portMappings"]!], "bandwidth is not declared by portmap")
        #expect(portmap["type"] == "portmap")
        // Integers stay integers on the wire: Go plugins reject 8080.0 for an int.
        let wire = String(decoding: portmap.encoded(), as: UTF8.self)
        #expect(wire.contains(#""hostPort":8080"#), "\(wire)")
    }

    @Test func aResultGivesInterfacesAddressesRoutesAndDNS() throws {
        let json = #"""
            {"cniVersion":"1.0.0","interfaces":[{"name":"skiff0","mac":"e2:6c:57:02:2f:65"},{"name":"veth05495b3d","mac":"3e:4d:de:39:0f:c8"},
             {"name":"eth0","mac":"3a:7f:93:32:4c:7c","sandbox":"/run/skiff/netns/p1"}],
             "ips":[{"interface":2,"address":"10.242.9.2/30","gateway":"10.242.9.1"}],
             "routes":[{"dst":"0.0.0.0/0"}],"dns":{"nameservers":["10.43.0.10"],"search":["svc.cluster.local"]}}
            """#
        let result = try CNIResult(json: try #require(JSONValue.parse(Array(json.utf8))))
        #expect(result.interfaces.map(\.name) == ["skiff0", "veth05495b3d", "eth0"])
        #expect(result.interfaces[2].sandbox == "/run/skiff/netns/p1")
        #expect(result.ips == [.init(address: "10.242.9.2/30", gateway: "10.242.9.1", interface: 2)])
        #expect(result.podIPs == ["10.242.9.2"])
        #expect(result.routes == [.init(dst: "0.0.0.0/0", gw: nil)])
        #expect(result.dns.nameservers == ["10.43.0.10"])
        #expect(result.dns.search == ["svc.cluster.local"])
        // 0.4.0 results carry a version per ip and may have no dns at all.
        let old = try CNIResult(json: try #require(JSONValue.parse(Array(#"{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.1.0.3/16"}]}"#.utf8))))
        #expect(old.podIPs == ["10.1.0.3"])
        #expect(old.dns == CNIResult.DNS())
        #expect(throws: SandboxError.self) { try CNIResult(json: ["ips": [["address": "10.1.0.3"]]]) }
    }

    @Test func pluginErrorsAreReadFromTheirJSONOrTheirWords() {
        let exhausted = CNIPluginFailure.parse(
            network: "skiff", plugin: "bridge", command: "ADD", exitStatus: 1,
            stdout: Array(#"{"code":999,"msg":"failed to allocate for range 0: no IP addresses available in range set: 10.242.9.1-10.242.9.2"}"#.utf8),
            stderr: [])
        #expect(exhausted.code == 999)
        #expect(exhausted.isAddressExhaustion)
        #expect(exhausted.description == "CNI ADD of network skiff failed in plugin bridge (code 999): failed to allocate for range 0: no IP addresses available in range set: 10.242.9.1-10.242.9.2")

        let withDetails = CNIPluginFailure.parse(
            network: "n", plugin: "portmap", command: "DEL", exitStatus: 1,
            stdout: Array(#"{"cniVersion":"1.0.0","code":7,"msg":"invalid config","details":"missing field"}"#.utf8), stderr: [])
        #expect(withDetails.code == 7)
        #expect(withDetails.details == "missing field")
        #expect(!withDetails.isAddressExhaustion)

        let crashed = CNIPluginFailure.parse(network: "n", plugin: "bridge", command: "ADD", exitStatus: 2, stdout: [], stderr: Array("panic: boom\n".utf8))
        #expect(crashed.code == nil)
        #expect(crashed.message == "panic: boom")
        let silent = CNIPluginFailure.parse(network: "n", plugin: "bridge", command: "ADD", exitStatus: 137, stdout: [], stderr: [])
        #expect(silent.message == "exited with status 137 and no message")
    }

    @Test func anExhaustedNodeNamesItsPodCIDR() {
        let error = SandboxError.addressesExhausted(network: "skiff", ranges: ["10.242.9.0/30"], message: "no IP addresses available in range set: 10.242.9.1-10.242.9.2")
        #expect(error.description.hasPrefix("the node is out of pod IP addresses: network skiff has no free address in 10.242.9.0/30"))
    }
}

extension JSONValue {
    /// `self` (an array of plugin configurations) inside a conflist document.
    func wrappedAsList(name: String, version: String) -> [UInt8] {
        JSONValue.object(["name": .string(name), "cniVersion": .string(version), "plugins": self]).encoded()
    }
}
