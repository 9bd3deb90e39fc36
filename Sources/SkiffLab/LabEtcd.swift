import Foundation
import SkiffProcess

/// The lab's etcd, for `skiff lab up --datastore etcd`: one member in the server's
/// network namespace, on that namespace's loopback only (nothing outside the
/// server node can reach it), its data under the lab's directory.
struct LabEtcd {
    let plan: LabPlan

    static let clientURL = "http://127.0.0.1:2379"
    private static let peerURL = "http://127.0.0.1:2380"

    /// The command that runs it (through nsenter, so the recorded pid is etcd's).
    func command() throws -> [String] {
        guard let etcd = ChildProgram.find("etcd") else {
            throw LabError("--datastore etcd needs etcd on PATH (Debian: apt-get install etcd-server)")
        }
        return [
            HostProgram.nsenter, "--net=\(plan.server.namespacePath)", "--", etcd,
            "--name", "lab", "--data-dir", plan.etcdDataDirectory,
            "--listen-client-urls", Self.clientURL, "--advertise-client-urls", Self.clientURL,
            "--listen-peer-urls", Self.peerURL, "--initial-advertise-peer-urls", Self.peerURL,
            "--initial-cluster", "lab=\(Self.peerURL)",
            // Kubernetes objects reach 1.5 MiB; etcd's default request limit is 1.5 MB.
            "--max-request-bytes", "1638400",
        ]
    }

    /// Whether etcd answers its health check (from inside the server's namespace).
    func isHealthy() -> Bool {
        guard let etcdctl = ChildProgram.find("etcdctl") else { return false }
        let outcome = try? HostProgram.run(
            HostProgram.nsenter,
            ["--net=\(plan.server.namespacePath)", "--", etcdctl, "--endpoints", Self.clientURL, "endpoint", "health"])
        return outcome?.status == 0
    }
}
