import Foundation
@testable import SkiffKubelet
import Testing

@Suite("Kubelet server health and metrics", .timeLimit(.minutes(1)))
struct ServerMetricsTests {
    @Test func healthzAndGaugesFromTheDirectory() async throws {
        let fixture = try LogFixture()
        let ref = KubeletContainerRef(id: "x", logPath: "/nonexistent")
        let pods = [
            KubeletPodEntry(
                namespace: "default", name: "a", uid: "1", containerNames: ["c", "d"],
                statuses: [
                    "c": KubeletContainerStatus(state: .running(ref)), "d": KubeletContainerStatus(state: .terminated(ref)),
                ], network: .host),
            KubeletPodEntry(
                namespace: "default", name: "b", uid: "2", containerNames: ["c"],
                statuses: ["c": KubeletContainerStatus(state: .running(ref))], network: .namespace(path: "/run/skiff/netns/2")),
            KubeletPodEntry(
                namespace: "default", name: "pending", uid: "3", containerNames: ["c"],
                statuses: ["c": KubeletContainerStatus(state: .waiting(reason: "ContainerCreating"))]),
        ]
        try await withKubelet(StaticDirectory(pods), runtime: fixture.runtime) { port in
            let health = try await TestHTTP.get(port: port, "/healthz")
            #expect(health.status == 200 && health.text == "ok")
            let metrics = try await TestHTTP.get(port: port, "/metrics")
            #expect(metrics.header("content-type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(metrics.text.contains("# TYPE kubelet_running_pods gauge\nkubelet_running_pods 2\n"))
            #expect(metrics.text.contains("kubelet_running_containers{container_state=\"running\"} 2\n"))
            #expect(metrics.text.contains("kubelet_running_containers{container_state=\"exited\"} 1\n"))
            #expect(try await TestHTTP.get(port: port, "/nothing/here").text == "404: Page Not Found")
        }
    }
}
