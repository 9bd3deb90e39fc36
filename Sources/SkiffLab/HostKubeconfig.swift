import Foundation
import SkiffProcess

/// The host's kubeconfig: the server's admin kubeconfig with its server address
/// turned to the relay on the host's loopback (the server certificate names
/// 127.0.0.1, so TLS verification holds).
enum HostKubeconfig {
    static func write(from kubeconfig: String, port: Int, to path: String) throws {
        guard port > 0 else { throw LabError("the relay has no port") }
        var replaced = false
        let lines = kubeconfig.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("server:") else { return String(line) }
            replaced = true
            return String(line.prefix(line.count - trimmed.count)) + "server: https://127.0.0.1:\(port)"
        }
        guard replaced else { throw LabError("the server's kubeconfig names no server") }
        guard FileManager.default.createFile(
            atPath: path, contents: Data(lines.joined(separator: "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw LabError("cannot write \(path)") }
    }
}

/// Waits until every node of the lab is registered and Ready, asking the API
/// server through the host kubeconfig (and so through the relay) with kubectl.
struct LabReadiness {
    let plan: LabPlan
    let timeout: Duration

    func waitForNodes() throws {
        guard let kubectl = Kubectl.path else { throw LabError("kubectl is not on PATH: cannot check the nodes") }
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            let outcome = try? HostProgram.run(kubectl, [
                "--kubeconfig", plan.kubeconfig, "get", "nodes", "-o",
                #"jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}"#,
            ])
            last = outcome?.output ?? ""
            let ready = Set(last.split(separator: "\n").filter { $0.hasSuffix("=True") }.map { String($0.dropLast(5)) })
            if ready.isSuperset(of: plan.nodes.map(\.name)) { return }
            usleep(250_000)
        }
        throw LabError("not every node became Ready within \(timeout): \(last)")
    }
}

/// The kubectl on PATH.
public enum Kubectl {
    public static var path: String? { ChildProgram.find("kubectl") }
}
