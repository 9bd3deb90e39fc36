/// The protobuf messages Skiff reads: every message reachable from the kinds it
/// serves, plus the bodies of the eviction, scale and token subresources and
/// DeleteOptions. Messages are named "<group>.<version>.<Type>" ("core.v1.PodSpec",
/// "meta.v1.ObjectMeta"); fields are listed by number, one table per API group.
///
/// Upstream only ever adds field numbers, so a newer client's new field shows up
/// as an unknown field number, which is refused with its path rather than dropped.
enum ProtobufSchema {
    /// The group tables, each a file of its own.
    static let tables: [[String: ProtobufMessage]] = [
        meta, core, coreContainers, corePods, coreVolumes, apps, batch, discovery, coordination, rbac, policy,
        autoscaling, authentication,
    ]

    /// All messages by name. The tables do not overlap (a test checks it).
    static let messages: [String: ProtobufMessage] = tables.reduce(into: [:]) { all, table in
        all.merge(table) { first, _ in first }
    }

    /// The message of each kind that can arrive as a request body, by "apiVersion/kind".
    static let kinds: [String: String] = [
        "v1/Pod": "core.v1.Pod", "v1/Node": "core.v1.Node", "v1/Namespace": "core.v1.Namespace",
        "v1/Service": "core.v1.Service", "v1/Endpoints": "core.v1.Endpoints", "v1/ConfigMap": "core.v1.ConfigMap",
        "v1/Secret": "core.v1.Secret", "v1/Event": "core.v1.Event", "v1/ServiceAccount": "core.v1.ServiceAccount",
        "v1/ReplicationController": "core.v1.ReplicationController",
        "v1/PersistentVolumeClaim": "core.v1.PersistentVolumeClaim", "v1/Binding": "core.v1.Binding",
        "apps/v1/Deployment": "apps.v1.Deployment", "apps/v1/ReplicaSet": "apps.v1.ReplicaSet",
        "apps/v1/DaemonSet": "apps.v1.DaemonSet", "apps/v1/StatefulSet": "apps.v1.StatefulSet",
        "apps/v1/ControllerRevision": "apps.v1.ControllerRevision",
        "batch/v1/Job": "batch.v1.Job", "batch/v1/CronJob": "batch.v1.CronJob",
        "discovery.k8s.io/v1/EndpointSlice": "discovery.v1.EndpointSlice",
        "coordination.k8s.io/v1/Lease": "coordination.v1.Lease",
        "rbac.authorization.k8s.io/v1/Role": "rbac.v1.Role",
        "rbac.authorization.k8s.io/v1/ClusterRole": "rbac.v1.ClusterRole",
        "rbac.authorization.k8s.io/v1/RoleBinding": "rbac.v1.RoleBinding",
        "rbac.authorization.k8s.io/v1/ClusterRoleBinding": "rbac.v1.ClusterRoleBinding",
        "policy/v1/Eviction": "policy.v1.Eviction",
        "autoscaling/v1/Scale": "autoscaling.v1.Scale",
        "authentication.k8s.io/v1/TokenRequest": "authentication.v1.TokenRequest",
    ]

    /// The message for a body of `kind` in `apiVersion`, or nil for a kind Skiff does
    /// not read. DeleteOptions is registered in every group version upstream (a typed
    /// client sends it in its own group's), so any version names it.
    static func message(apiVersion: String, kind: String) -> String? {
        if kind == "DeleteOptions" { return "meta.v1.DeleteOptions" }
        return kinds["\(apiVersion)/\(kind)"]
    }
}
