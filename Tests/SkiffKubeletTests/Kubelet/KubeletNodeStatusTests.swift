import Foundation
import SkiffAPI
import SkiffClient
@testable import SkiffKubelet
import Testing

@Suite(.enabled(if: isRoot, "\(needsRoot)"), .serialized)
struct KubeletNodeStatusTests {
    /// The node lifecycle controller turns a silent kubelet's conditions Unknown;
    /// once the kubelet is heard again it must say Ready at its next status check,
    /// not only at its next full report (60 s, longer than this test waits).
    @Test func conditionsSomeoneElseChangedAreReportedAgain() async throws {
        try await KubeletHarness.with { harness, server in
            try await harness.withKubelet(server) {
                func ready() async throws -> String? {
                    (try? await server.client.get(Node.self, "kt-node"))?.status.conditions?.first { $0.type == "Ready" }?.status
                }
                #expect(try await eventually { try await ready() == "True" })
                // Let the first reports settle (the second rounds transition times to the
                // second), so what follows is the kubelet noticing the change, not a resend.
                try await Task.sleep(for: .seconds(3))
                var node = try await server.client.get(Node.self, "kt-node")
                for index in node.status.conditions!.indices {
                    node.status.conditions![index].status = "Unknown"
                    node.status.conditions![index].reason = "NodeStatusUnknown"
                }
                try await server.client.updateStatus(node)
                #expect(try await eventually { try await ready() == "True" })
            }
        }
    }
}
