import SkiffAPI

/// Nodes as upstream's printNode shows them: STATUS from the Ready condition (and
/// cordoning), ROLES from the role labels, and the machine's versions when wide.
enum NodeTable {
    /// Role labels: `node-role.kubernetes.io/<role>` (any value) and the older
    /// `kubernetes.io/role=<role>`.
    private static let roleLabelPrefix = "node-role.kubernetes.io/"
    private static let legacyRoleLabel = "kubernetes.io/role"

    static let printer = TablePrinter(
        Node.self,
        columns: [
            Column.name,
            Column.string("Status", "The status of the node"),
            Column.string("Roles", "The roles of the node"),
            Column.age,
            Column.string("Version", "Kubelet Version reported by the node."),
            Column.string("Internal-IP", "List of addresses reachable to the node.", priority: 1),
            Column.string("External-IP", "List of addresses reachable to the node.", priority: 1),
            Column.string("OS-Image", "OS Image reported by the node.", priority: 1),
            Column.string("Kernel-Version", "Kernel Version reported by the node.", priority: 1),
            Column.string("Container-Runtime", "ContainerRuntime Version reported by the node.", priority: 1),
        ]
    ) { node, now in
        let info = node.status.nodeInfo
        return [
            .string(node.metadata.name ?? ""),
            .string(status(node)),
            .string(TableFormatting.nonEmpty(roles(node).joined(separator: ","), or: "<none>")),
            .string(HumanDuration.since(node.metadata.creationTimestamp, now: now)),
            .string(info.kubeletVersion),
            .string(address(of: node, type: "InternalIP")),
            .string(address(of: node, type: "ExternalIP")),
            .string(TableFormatting.nonEmpty(info.osImage, or: "<unknown>")),
            .string(TableFormatting.nonEmpty(info.kernelVersion, or: "<unknown>")),
            .string(TableFormatting.nonEmpty(info.containerRuntimeVersion, or: "<unknown>")),
        ]
    }

    /// "Ready" or "NotReady" from the Ready condition ("Unknown" without one), then
    /// ",SchedulingDisabled" for a cordoned node.
    static func status(_ node: Node) -> String {
        // The last Ready condition wins, as upstream's condition map keeps it.
        var parts: [String] = []
        if let ready = node.status.conditions?.last(where: { $0.type == "Ready" }) {
            parts.append(ready.status == ConditionStatus.true ? "Ready" : "NotReady")
        } else {
            parts.append("Unknown")
        }
        if node.spec.unschedulable == true { parts.append("SchedulingDisabled") }
        return parts.joined(separator: ",")
    }

    /// The node's roles, sorted and without duplicates.
    static func roles(_ node: Node) -> [String] {
        var roles: [String] = []
        for (key, value) in node.metadata.labels ?? [:] {
            if key.hasPrefix(roleLabelPrefix) {
                let role = String(key.dropFirst(roleLabelPrefix.count))
                if !role.isEmpty { roles.append(role) }
            } else if key == legacyRoleLabel && !value.isEmpty {
                roles.append(value)
            }
        }
        return TableFormatting.sortedSet(roles)
    }

    /// The first address of `type`, "<none>" without one.
    private static func address(of node: Node, type: String) -> String {
        node.status.addresses?.first { $0.type == type }?.address ?? "<none>"
    }
}
