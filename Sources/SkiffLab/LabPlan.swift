/// The shape of a lab: its nodes, their network namespaces, addresses, pod
/// ranges, cgroup parents and directories — all derived from the lab's name, so
/// `down` finds everything from the plan alone, even after a crash.
public struct LabPlan: Codable, Hashable, Sendable {
    public enum Role: String, Codable, Sendable { case server, agent }

    public struct Node: Codable, Hashable, Sendable {
        public var name: String
        public var role: Role
        /// The network namespace the node's processes run in (under /run/netns).
        public var namespace: String
        /// Its address on the lab network, and the bridge port that carries it.
        public var address: String
        public var bridgePort: String
        public var cgroupParent: String
        public var directory: String

        public var namespacePath: String { "/run/netns/\(namespace)" }
        public var stateDirectory: String { directory + "/state" }
        public var runDirectory: String { directory + "/run" }
        public var podLogDirectory: String { directory + "/pod-logs" }
        public var imageStore: String { stateDirectory + "/runtime/images" }
        public var log: String { directory + "/agent.log" }
    }

    public var name: String
    public var directory: String
    /// The namespace holding the lab's bridge; it has no other link, so nothing
    /// in the lab reaches the host's network or beyond.
    public var networkNamespace: String
    public var prefixLength = 24
    public var nodes: [Node]

    public static let bridge = "lab0"
    public static let apiPort = 6443

    /// `nodes` nodes: the first runs `skiff server` (the control plane and its own
    /// agent), the others `skiff agent`. Addresses come from `network` (a /24,
    /// "10.250.0.0/24" by default); node IPAM gives each node its pod range.
    public init(name: String, nodes count: Int, root: String, network: String = "10.250.0.0/24") throws(LabError) {
        try Self.validate(name: name)
        guard (1...50).contains(count) else { throw LabError("--nodes must be 1 to 50, not \(count)") }
        let octets = network.split(separator: "/").first.map { $0.split(separator: ".").compactMap { UInt8($0) } } ?? []
        guard octets.count == 4, network.hasSuffix("/24") else { throw LabError("--network must be an IPv4 /24, not \(network)") }
        let base = octets[0..<3].map(String.init).joined(separator: ".")
        self.name = name
        directory = root + "/" + name
        networkNamespace = "skiff-\(name)-net"
        nodes = (0..<count).map { index in
            let node = index == 0 ? "\(name)-server" : "\(name)-node\(index)"
            return Node(
                name: node, role: index == 0 ? .server : .agent, namespace: "skiff-\(node)",
                address: "\(base).\(10 + index)", bridgePort: "port\(index)",
                cgroupParent: "skiff-lab-\(node)", directory: root + "/" + name + "/nodes/" + node)
        }
    }

    public var server: Node { nodes[0] }
    public var serverURL: String { "https://\(server.address):\(Self.apiPort)" }
    public var serverDataDirectory: String { directory + "/server" }
    public var serverLog: String { directory + "/server.log" }
    /// The lab's etcd (with `--datastore etcd`): its data and its log.
    public var etcdDataDirectory: String { directory + "/etcd" }
    public var etcdLog: String { directory + "/etcd.log" }
    /// The admin kubeconfig as the server writes it (for use inside its namespace).
    public var innerKubeconfig: String { directory + "/admin-in-lab.kubeconfig" }
    /// The admin kubeconfig for the host, through the relay on loopback.
    public var kubeconfig: String { directory + "/kubeconfig" }
    public var nodeToken: String { serverDataDirectory + "/server/node-token" }
    public var relayPortFile: String { directory + "/relay.port" }
    public var relayLog: String { directory + "/relay.log" }
    public var stateFile: String { directory + "/lab.json" }

    /// Lab names become parts of namespace, node and cgroup names.
    static func validate(name: String) throws(LabError) {
        let allowed = name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard (1...20).contains(name.count), allowed, name.first != "-", name.last != "-" else {
            throw LabError("a lab name is 1-20 lowercase letters, digits or '-', not starting or ending with '-': \(name)")
        }
    }
}

public struct LabError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
