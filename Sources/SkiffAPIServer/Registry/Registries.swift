import SkiffAPI
import SkiffStore

/// Every kind's registry over one store, found by (group, resource) as the
/// router looks them up.
public struct Registries: Sendable {
    /// The kinds served through a registry: every persisted kind of the scheme but
    /// Binding, which is only ever posted to `pods/<name>/binding`.
    public static let kinds: [any RegistryStrategy.Type] = [
        Pod.self, Node.self, Namespace.self, Service.self, Endpoints.self, ConfigMap.self, Secret.self,
        Event.self, ServiceAccount.self, ReplicationController.self, PersistentVolumeClaim.self,
        Deployment.self, ReplicaSet.self, DaemonSet.self, StatefulSet.self, ControllerRevision.self,
        Job.self, CronJob.self,
        EndpointSlice.self,
        Lease.self,
        Role.self, ClusterRole.self, RoleBinding.self, ClusterRoleBinding.self,
    ]

    public let store: any Store
    public let context: Registry.Context
    private let table: [String: AnyResourceRegistry]

    /// - Parameter context: pass ``Registry/Context/server`` in the server, so that
    ///   namespace lifecycle is enforced.
    public init(store: any Store, context: Registry.Context = Registry.Context()) {
        self.store = store
        self.context = context
        var table: [String: AnyResourceRegistry] = [:]
        for kind in Self.kinds {
            let registry = Self.make(kind, store: store, context: context)
            table[Self.tableKey(group: kind.group, resource: kind.resource)] = registry
        }
        self.table = table
    }

    private static func make<T: RegistryStrategy>(_ type: T.Type, store: any Store, context: Registry.Context)
        -> AnyResourceRegistry
    {
        AnyResourceRegistry(ResourceRegistry<T>(store: store, context: context))
    }

    private static func tableKey(group: String, resource: String) -> String { group + "/" + resource }

    /// The registry of `resource` in `group` ("" for core), nil when none serves it.
    public func registry(group: String, resource: String) -> AnyResourceRegistry? {
        table[Self.tableKey(group: group, resource: resource)]
    }

    /// The typed registry of a kind.
    public func registry<T: RegistryStrategy>(for type: T.Type) -> ResourceRegistry<T> {
        ResourceRegistry<T>(store: store, context: context)
    }

    /// Every registry, in ``kinds`` order.
    public var all: [AnyResourceRegistry] {
        Self.kinds.compactMap { registry(group: $0.group, resource: $0.resource) }
    }

    /// Creates the namespaces that exist from the start (default, kube-system,
    /// kube-public, kube-node-lease) unless they are there already. Run at startup.
    public func bootstrap() async throws(APIError) {
        let namespaces = registry(for: Namespace.self)
        for name in APIServerDefaults.systemNamespaces {
            var namespace = Namespace()
            namespace.metadata.name = name
            do {
                _ = try await namespaces.create(namespace: nil, namespace)
            } catch where error.reason == "AlreadyExists" {
                continue
            }
        }
    }

    /// One ``AllocationRepair`` pass: run at start, before serving, and then
    /// periodically with ``AllocationRepair/run(every:)``.
    @discardableResult
    public func repairAllocations() async throws(APIError) -> AllocationRepair.Report {
        try await AllocationRepair(store: store, context: context).repair()
    }
}
