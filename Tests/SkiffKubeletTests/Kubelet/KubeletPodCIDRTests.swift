import Foundation
import SkiffAPI
import SkiffClient
@testable import SkiffKubelet
import Testing

/// Without `--pod-cidr` the kubelet waits for node IPAM (played here by the
/// test) to give its Node a podCIDR before it sets up pods.
@Suite(.enabled(if: isRoot, "\(needsRoot)"), .serialized)
struct KubeletPodCIDRTests {
    @Test func waitsNotReadyForAPodCIDRThenRunsPods() async throws {
        try await KubeletHarness.with { harness, server in
            harness.configuration.podCIDR = nil
            try await harness.withKubelet(server) {
                #expect(try await eventually {
                    let node = try? await server.client.get(Node.self, "kt-node")
                    let ready = node?.status.conditions?.first { $0.type == "Ready" }
                    return ready?.status == "False" && ready?.message?.contains("the node has no podCIDR yet") == true
                })
                #expect(try await server.client.get(Node.self, "kt-node").spec.podCIDR == nil)
                try await server.client.create(KubeletHarness.pod("early", command: ["sh", "-c", "exec sleep 1000"]))
                let pending = try await server.client.get(Pod.self, "early", namespace: "default")
                #expect(pending.status.phase == "Pending" || pending.status.phase == nil)

                let cidr = KubeletHarness.podCIDR
                try await server.client.patch(
                    Node.self, "kt-node", .merge, body: Array(#"{"spec":{"podCIDR":"\#(cidr)","podCIDRs":["\#(cidr)"]}}"#.utf8))
                #expect(try await eventually {
                    let node = try await server.client.get(Node.self, "kt-node")
                    return node.status.conditions?.first { $0.type == "Ready" }?.status == "True"
                })
                #expect(try await eventually {
                    let pod = try await server.client.get(Pod.self, "early", namespace: "default")
                    return pod.status.phase == "Running" && pod.status.podIP?.hasPrefix("10.244.7.") == true
                })
                try await server.client.delete(Pod.self, "early", namespace: "default")
                #expect(try await eventually {
                    (try? await server.client.get(Pod.self, "early", namespace: "default")) == nil
                })
            }
        }
    }
}
