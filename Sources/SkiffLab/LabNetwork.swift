import Foundation

/// The lab's network: a bridge alone in its own namespace, and each node's
/// namespace joined to it by a veth pair (`eth0` inside the node). No namespace
/// gets a default route or any link to the host, so lab traffic stays in the lab.
public struct LabNetwork: Sendable {
    public let plan: LabPlan

    public init(plan: LabPlan) {
        self.plan = plan
    }

    /// Creates the namespaces and links; fails if one already exists (a lab of
    /// this name is up, or a crashed one was not taken down).
    public func create() throws {
        let network = plan.networkNamespace
        try HostProgram.check(HostProgram.ip, ["netns", "add", network])
        try ip(network, "link", "set", "lo", "up")
        try ip(network, "link", "add", LabPlan.bridge, "type", "bridge")
        try ip(network, "link", "set", LabPlan.bridge, "up")
        for node in plan.nodes {
            try attach(namespace: node.namespace, port: node.bridgePort, address: node.address)
            // The node routes between its pods' bridge and the lab network (host-gw).
            try HostProgram.check(
                HostProgram.nsenter, ["--net=\(node.namespacePath)", "--", "/usr/sbin/sysctl", "-qw", "net.ipv4.ip_forward=1"])
        }
    }

    /// A new namespace with `eth0` at `address` on the lab bridge, e.g. a client
    /// that reaches NodePorts as a machine on the nodes' network would.
    public func attach(namespace: String, port: String, address: String) throws {
        try HostProgram.check(HostProgram.ip, ["netns", "add", namespace])
        try ip(namespace, "link", "set", "lo", "up")
        try ip(plan.networkNamespace, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", namespace)
        try ip(plan.networkNamespace, "link", "set", port, "master", LabPlan.bridge, "up")
        try ip(namespace, "addr", "add", "\(address)/\(plan.prefixLength)", "dev", "eth0")
        try ip(namespace, "link", "set", "eth0", "up")
    }

    /// Deletes every namespace of the plan that exists (their links go with them).
    public func delete() {
        for namespace in plan.nodes.map(\.namespace) + [plan.networkNamespace] {
            if FileManager.default.fileExists(atPath: "/run/netns/\(namespace)") {
                _ = try? HostProgram.run(HostProgram.ip, ["netns", "delete", namespace])
            }
        }
    }

    private func ip(_ namespace: String, _ arguments: String...) throws {
        try HostProgram.check(HostProgram.ip, ["-n", namespace] + arguments)
    }
}
