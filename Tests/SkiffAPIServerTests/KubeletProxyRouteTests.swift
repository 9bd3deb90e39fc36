import Foundation
import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// The checks before any kubelet is asked, with upstream's codes and messages,
/// and the subresources in discovery.
@Suite("Kubelet proxy routes", .timeLimit(.minutes(2)))
struct KubeletProxyRouteTests {
    static let pods = "/api/v1/namespaces/default/pods"

    /// Nothing listens on port 1 of loopback, so any kubelet request would fail loudly.
    func fixture(nodeAddresses: [NodeAddress]? = nil) async throws -> KubeletProxyFixture {
        try await KubeletProxyFixture(kubeletPort: 1, nodeAddresses: nodeAddresses)
    }

    @Test func aMissingPodIs404() async throws {
        let api = try await fixture()
        for subresource in ["log", "exec", "attach", "portforward"] {
            let reply = try await api.send("GET", "\(Self.pods)/nope/\(subresource)", upgrade: true)
            #expect(reply.status == 404, "\(subresource)")
            #expect(reply.message == #"pods "nope" not found"#)
        }
    }

    @Test func aContainerMustBeNamedWhenThePodHasSeveral() async throws {
        let api = try await fixture()
        let reply = try await api.send("GET", "\(Self.pods)/multi/log")
        #expect(reply.status == 400 && reply.reason == "BadRequest")
        #expect(reply.message == "a container name must be specified for pod multi, choose one of: [setup a b]")
        let exec = try await api.send("GET", "\(Self.pods)/multi/exec?command=sh", upgrade: true)
        #expect(exec.message == reply.message)
    }

    @Test func anUnknownContainerIs400() async throws {
        let api = try await fixture()
        let reply = try await api.send("GET", "\(Self.pods)/web/attach?container=x", upgrade: true)
        #expect(reply.status == 400)
        #expect(reply.message == "container x is not valid for pod web")
    }

    @Test func aPodWithoutANode() async throws {
        let api = try await fixture()
        let exec = try await api.send("POST", "\(Self.pods)/pending/exec?command=sh")
        #expect(exec.status == 400)
        #expect(exec.message == "pod pending does not have a host assigned")
        let forward = try await api.send("GET", "\(Self.pods)/pending/portforward?ports=80", upgrade: true)
        #expect(forward.message == "pod pending does not have a host assigned")
        // Upstream's log stream has no location then, which its handler answers with 204.
        let logs = try await api.send("GET", "\(Self.pods)/pending/log")
        #expect(logs.status == 204 && logs.body.isEmpty)
    }

    @Test func theNodeMustExistAndHaveAnAddress() async throws {
        let api = try await fixture()
        let stray = try await api.send("GET", "\(Self.pods)/stray/log")
        #expect(stray.status == 404)
        #expect(stray.message == #"nodes "ghost" not found"#)

        let hidden = try await fixture(nodeAddresses: [NodeAddress(type: "InternalDNS", address: "node-1.local")])
        let reply = try await hidden.send("GET", "\(Self.pods)/web/exec?command=sh", upgrade: true)
        #expect(reply.status == 500)
        #expect(reply.message.hasSuffix("no preferred addresses found; known addresses: [{InternalDNS node-1.local}]"))
    }

    @Test func logOptionsAreValidated() async throws {
        let api = try await fixture()
        let negativeTail = try await api.send("GET", "\(Self.pods)/web/log?tailLines=-1")
        #expect(negativeTail.status == 422 && negativeTail.reason == "Invalid")
        #expect(
            negativeTail.message
                == #"PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0"#)
        let zeroLimit = try await api.send("GET", "\(Self.pods)/web/log?limitBytes=0")
        #expect(zeroLimit.status == 422)
        #expect(zeroLimit.message.contains("limitBytes: Invalid value: 0: must be greater than 0"))
        let both = try await api.send("GET", "\(Self.pods)/web/log?sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z")
        #expect(both.status == 422)
        #expect(both.message.contains("at most one of `sinceTime` or `sinceSeconds` may be specified"))
        let zeroSince = try await api.send("GET", "\(Self.pods)/web/log?sinceSeconds=0")
        #expect(zeroSince.message.contains("sinceSeconds: Invalid value: 0: must be greater than 0"))
        let malformed = try await api.send("GET", "\(Self.pods)/web/log?tailLines=ten")
        #expect(malformed.status == 400)
        let badTime = try await api.send("GET", "\(Self.pods)/web/log?sinceTime=yesterday")
        #expect(badTime.status == 400)
        // Options are checked before the pod is looked up, as upstream does.
        let missing = try await api.send("GET", "\(Self.pods)/nope/log?tailLines=-1")
        #expect(missing.status == 422)
    }

    @Test func onlyWebSocketUpgradesAreRelayed() async throws {
        let api = try await fixture()
        for method in ["GET", "POST"] {
            let reply = try await api.send(method, "\(Self.pods)/web/exec?command=sh")
            #expect(reply.status == 400)
            #expect(reply.message.hasPrefix("Upgrade request required"))
            #expect(reply.message.contains("SPDY is not supported"))
        }
        let forward = try await api.send("POST", "\(Self.pods)/web/portforward?ports=80")
        #expect(forward.message.contains("SPDY/3.1+portforward.k8s.io"))
        let put = try await api.send("PUT", "\(Self.pods)/web/exec")
        #expect(put.status == 405)
        let postLog = try await api.send("POST", "\(Self.pods)/web/log")
        #expect(postLog.status == 405)
        let badPort = try await api.send("GET", "\(Self.pods)/web/portforward?ports=80,http", upgrade: true)
        #expect(badPort.status == 400)
    }

    @Test func anUnreachableKubeletIs500() async throws {
        let api = try await fixture()
        let logs = try await api.send("GET", "\(Self.pods)/web/log")
        #expect(logs.status == 500)
        #expect(logs.message.hasPrefix(#"Get "http://127.0.0.1:1/containerLogs/default/web/app": dial tcp 127.0.0.1:1: "#))
        let exec = try await api.send("GET", "\(Self.pods)/web/exec?command=sh", upgrade: true)
        #expect(exec.status == 500)
        #expect(exec.message.hasPrefix("error dialing backend: dial tcp 127.0.0.1:1: "))
    }

    @Test func discoveryListsTheConnectSubresources() async throws {
        let api = try await RouterFixture()
        let reply = await api.send("GET", "/api/v1")
        let resources = reply.json["resources"] as? [[String: Any]] ?? []
        let byName = Dictionary(resources.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let expected: [(String, String, [String])] = [
            ("pods/log", "Pod", ["get"]),
            ("pods/exec", "PodExecOptions", ["create", "get"]),
            ("pods/attach", "PodAttachOptions", ["create", "get"]),
            ("pods/portforward", "PodPortForwardOptions", ["create", "get"]),
        ]
        for (name, kind, verbs) in expected {
            let resource = try #require(byName[name], "\(name)")
            #expect(resource["kind"] as? String == kind)
            #expect(resource["verbs"] as? [String] == verbs)
            #expect(resource["namespaced"] as? Bool == true)
        }
        let podNames = resources.compactMap { $0["name"] as? String }.filter { $0.hasPrefix("pods/") }
        #expect(podNames == podNames.sorted())
    }
}
