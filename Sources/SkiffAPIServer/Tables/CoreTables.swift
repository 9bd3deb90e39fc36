import SkiffAPI

/// The smaller core/v1 kinds: namespaces, config maps, secrets, service accounts,
/// replication controllers and persistent volume claims.
enum CoreTables {
    static let namespace = TablePrinter(
        Namespace.self,
        columns: [Column.name, Column.string("Status", "The status of the namespace"), Column.age]
    ) { namespace, now in
        [
            .string(namespace.metadata.name ?? ""),
            .string(namespace.status.phase ?? ""),
            .string(HumanDuration.since(namespace.metadata.creationTimestamp, now: now)),
        ]
    }

    static let configMap = TablePrinter(
        ConfigMap.self,
        columns: [Column.name, Column.string("Data", "Data contains the configuration data."), Column.age]
    ) { configMap, now in
        [
            .string(configMap.metadata.name ?? ""),
            .integer((configMap.data?.count ?? 0) + (configMap.binaryData?.count ?? 0)),
            .string(HumanDuration.since(configMap.metadata.creationTimestamp, now: now)),
        ]
    }

    static let secret = TablePrinter(
        Secret.self,
        columns: [
            Column.name,
            Column.string("Type", "Used to facilitate programmatic handling of secret data."),
            Column.string("Data", "Data contains the secret data."),
            Column.age,
        ]
    ) { secret, now in
        [
            .string(secret.metadata.name ?? ""),
            .string(secret.type ?? ""),
            .integer(secret.data?.count ?? 0),
            .string(HumanDuration.since(secret.metadata.creationTimestamp, now: now)),
        ]
    }

    static let serviceAccount = TablePrinter(
        ServiceAccount.self,
        columns: [
            Column.name,
            Column.string("Secrets", "Secrets is a list of the secrets in the same namespace that pods may use."),
            Column.age,
        ]
    ) { account, now in
        [
            .string(account.metadata.name ?? ""),
            .integer(account.secrets?.count ?? 0),
            .string(HumanDuration.since(account.metadata.creationTimestamp, now: now)),
        ]
    }

    static let replicationController = TablePrinter(
        ReplicationController.self,
        columns: [
            Column.name,
            Column.integer("Desired", "Replicas is the number of desired replicas."),
            Column.integer("Current", "Replicas is the most recently observed number of replicas."),
            Column.integer("Ready", "The number of ready replicas for this replication controller."),
            Column.age,
            Column.containers,
            Column.images,
            Column.string("Selector", "Selector is a label query over pods that should match the Replicas count.",
                priority: 1),
        ]
    ) { controller, now in
        let (names, images) = TableFormatting.containerCells(controller.spec.template?.spec.containers ?? [])
        return [
            .string(controller.metadata.name ?? ""),
            .integer(controller.spec.replicas ?? 0),
            .integer(controller.status.replicas),
            .integer(controller.status.readyReplicas ?? 0),
            .string(HumanDuration.since(controller.metadata.creationTimestamp, now: now)),
            names, images,
            .string(TableFormatting.labels(controller.spec.selector)),
        ]
    }

    static let persistentVolumeClaim = TablePrinter(
        PersistentVolumeClaim.self,
        columns: [
            Column.name,
            Column.string("Status", "phase represents the current phase of PersistentVolumeClaim."),
            Column.string("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
            Column.string("Capacity", "capacity represents the actual resources of the underlying volume."),
            Column.string("Access Modes", "accessModes contains the access modes of the volume backing the claim."),
            Column.string("StorageClass", "StorageClass of the pvc"),
            Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
            Column.age,
            Column.string("VolumeMode", "volumeMode defines what type of volume the claim requires.", priority: 1),
        ]
    ) { claim, now in
        let volumeName = claim.spec.volumeName ?? ""
        // Capacity and access modes are those of the bound volume, so blank until bound.
        let bound = !volumeName.isEmpty
        let capacity = bound ? (claim.status.capacity?["storage"] ?? .zero).description : ""
        let phase = claim.metadata.deletionTimestamp != nil ? "Terminating" : claim.status.phase ?? ""
        return [
            .string(claim.metadata.name ?? ""),
            .string(phase),
            .string(volumeName),
            .string(capacity),
            .string(bound ? accessModes(claim.status.accessModes ?? []) : ""),
            .string(storageClass(claim)),
            .string(claim.spec.volumeAttributesClassName ?? "<unset>"),
            .string(HumanDuration.since(claim.metadata.creationTimestamp, now: now)),
            .string(claim.spec.volumeMode ?? "<unset>"),
        ]
    }

    /// GetAccessModesAsString: the short names in a fixed order, each once.
    private static func accessModes(_ modes: [String]) -> String {
        let order = [
            ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP"),
        ]
        return order.filter { modes.contains($0.0) }.map(\.1).joined(separator: ",")
    }

    /// GetPersistentVolumeClaimClass: the beta annotation first, then storageClassName.
    private static func storageClass(_ claim: PersistentVolumeClaim) -> String {
        claim.metadata.annotations?["volume.beta.kubernetes.io/storage-class"] ?? claim.spec.storageClassName ?? ""
    }
}
