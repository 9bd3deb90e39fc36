import SkiffAPI

/// Leases and RBAC bindings. Roles and ClusterRoles have no printer upstream, so
/// they get the default Name / Created At table like every other unlisted kind.
enum OtherTables {
    static let lease = TablePrinter(
        Lease.self,
        columns: [Column.name, Column.string("Holder", "holderIdentity contains the identity of the holder of a "
            + "current lease."), Column.age]
    ) { lease, now in
        [
            .string(lease.metadata.name ?? ""),
            .string(lease.spec.holderIdentity ?? ""),
            .string(HumanDuration.since(lease.metadata.creationTimestamp, now: now)),
        ]
    }

    static let roleBinding = TablePrinter(
        RoleBinding.self, columns: bindingColumns(of: "roleBinding")
    ) { binding, now in
        bindingCells(
            name: binding.metadata.name, roleRef: binding.roleRef, subjects: binding.subjects,
            age: HumanDuration.since(binding.metadata.creationTimestamp, now: now))
    }

    static let clusterRoleBinding = TablePrinter(
        ClusterRoleBinding.self, columns: bindingColumns(of: "clusterRoleBinding")
    ) { binding, now in
        bindingCells(
            name: binding.metadata.name, roleRef: binding.roleRef, subjects: binding.subjects,
            age: HumanDuration.since(binding.metadata.creationTimestamp, now: now))
    }

    private static func bindingColumns(of kind: String) -> [TableColumnDefinition] {
        [
            Column.name,
            Column.string("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the "
                + "global namespace."),
            Column.age,
            Column.string("Users", "Users in the \(kind)", priority: 1),
            Column.string("Groups", "Groups in the \(kind)", priority: 1),
            Column.string("ServiceAccounts", "ServiceAccounts in the \(kind)", priority: 1),
        ]
    }

    /// NAME ROLE AGE, then the users, groups and "namespace/name" service accounts
    /// (rbac.SubjectsStrings), each joined by ", ".
    private static func bindingCells(
        name: String?, roleRef: RoleRef, subjects: [Subject]?, age: String
    ) -> [JSONValue] {
        let subjects = subjects ?? []
        let users = subjects.filter { $0.kind == "User" }.map(\.name)
        let groups = subjects.filter { $0.kind == "Group" }.map(\.name)
        let serviceAccounts = subjects.filter { $0.kind == "ServiceAccount" }.map { "\($0.namespace ?? "")/\($0.name)" }
        return [
            .string(name ?? ""),
            .string("\(roleRef.kind)/\(roleRef.name)"),
            .string(age),
            .string(users.joined(separator: ", ")),
            .string(groups.joined(separator: ", ")),
            .string(serviceAccounts.joined(separator: ", ")),
        ]
    }
}
