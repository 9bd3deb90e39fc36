/// rbac/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
/// Field numbers and names are upstream's, from k8s.io/api rbac/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let rbac: [String: ProtobufMessage] = [
        "rbac.v1.AggregationRule": [1: .messages("clusterRoleSelectors", "meta.v1.LabelSelector")],
        "rbac.v1.ClusterRole": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .messages("rules", "rbac.v1.PolicyRule"),
            3: .message("aggregationRule", "rbac.v1.AggregationRule"),
        ],
        "rbac.v1.ClusterRoleBinding": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .messages("subjects", "rbac.v1.Subject"),
            3: .message("roleRef", "rbac.v1.RoleRef"),
        ],
        "rbac.v1.PolicyRule": [
            1: .strings("verbs"), 2: .strings("apiGroups"), 3: .strings("resources"), 4: .strings("resourceNames"),
            5: .strings("nonResourceURLs"),
        ],
        "rbac.v1.Role": [1: .message("metadata", "meta.v1.ObjectMeta"), 2: .messages("rules", "rbac.v1.PolicyRule")],
        "rbac.v1.RoleBinding": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .messages("subjects", "rbac.v1.Subject"),
            3: .message("roleRef", "rbac.v1.RoleRef"),
        ],
        "rbac.v1.RoleRef": [1: .string("apiGroup"), 2: .string("kind"), 3: .string("name")],
        "rbac.v1.Subject": [1: .string("kind"), 2: .string("apiGroup"), 3: .string("name"), 4: .string("namespace")],
    ]
}
