import SkiffAPI

/// apps/v1 kinds: deployments, replica sets, daemon sets, stateful sets and
/// controller revisions, as upstream's printers show them.
enum AppsTables {
    static let deployment = TablePrinter(
        Deployment.self,
        columns: [
            Column.name,
            Column.string("Ready", "Number of the pod with ready state"),
            Column.string("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have "
                + "the desired template spec."),
            Column.string("Available", "Total number of available pods targeted by this deployment."),
            Column.age,
            Column.containers,
            Column.images,
            Column.string("Selector", "Label selector for pods.", priority: 1),
        ]
    ) { deployment, now in
        let (names, images) = TableFormatting.containerCells(deployment.spec.template.spec.containers)
        // Upstream prints the parsed selector as is here: "" for a nil one, not "<none>".
        let selector = (try? Labels.Selector(deployment.spec.selector))?.description ?? "<invalid>"
        return [
            .string(deployment.metadata.name ?? ""),
            .string("\(deployment.status.readyReplicas ?? 0)/\(deployment.spec.replicas ?? 0)"),
            .integer(deployment.status.updatedReplicas ?? 0),
            .integer(deployment.status.availableReplicas ?? 0),
            .string(HumanDuration.since(deployment.metadata.creationTimestamp, now: now)),
            names, images, .string(selector),
        ]
    }

    static let replicaSet = TablePrinter(
        ReplicaSet.self,
        columns: [
            Column.name,
            Column.integer("Desired", "Replicas is the number of desired pods."),
            Column.integer("Current", "Replicas is the most recently observed number of non-terminating pods."),
            Column.integer("Ready", "The number of non-terminating pods targeted by this ReplicaSet with a Ready "
                + "Condition."),
            Column.age,
            Column.containers,
            Column.images,
            Column.string("Selector", "Selector is a label query over pods that should match the replica count.",
                priority: 1),
        ]
    ) { replicaSet, now in
        let (names, images) = TableFormatting.containerCells(replicaSet.spec.template.spec.containers)
        return [
            .string(replicaSet.metadata.name ?? ""),
            .integer(replicaSet.spec.replicas ?? 0),
            .integer(replicaSet.status.replicas),
            .integer(replicaSet.status.readyReplicas ?? 0),
            .string(HumanDuration.since(replicaSet.metadata.creationTimestamp, now: now)),
            names, images,
            .string(TableFormatting.labelSelector(replicaSet.spec.selector)),
        ]
    }

    static let daemonSet = TablePrinter(
        DaemonSet.self,
        columns: [
            Column.name,
            Column.integer("Desired", "The total number of nodes that should be running the daemon pod."),
            Column.integer("Current", "The number of nodes that are running at least 1 daemon pod and are "
                + "supposed to run the daemon pod."),
            Column.integer("Ready", "The number of nodes that should be running the daemon pod and have one or "
                + "more of the daemon pod running with a Ready Condition."),
            Column.integer("Up-to-date", "The total number of nodes that are running updated daemon pod."),
            Column.integer("Available", "The number of nodes that should be running the daemon pod and have one "
                + "or more of the daemon pod running and available."),
            Column.string("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a "
                + "node."),
            Column.age,
            Column.containers,
            Column.images,
            Column.string("Selector", "A label query over pods that are managed by the daemon set.", priority: 1),
        ]
    ) { daemonSet, now in
        let status = daemonSet.status
        let (names, images) = TableFormatting.containerCells(daemonSet.spec.template.spec.containers)
        return [
            .string(daemonSet.metadata.name ?? ""),
            .integer(status.desiredNumberScheduled),
            .integer(status.currentNumberScheduled),
            .integer(status.numberReady),
            .integer(status.updatedNumberScheduled ?? 0),
            .integer(status.numberAvailable ?? 0),
            .string(TableFormatting.labels(daemonSet.spec.template.spec.nodeSelector)),
            .string(HumanDuration.since(daemonSet.metadata.creationTimestamp, now: now)),
            names, images,
            .string(TableFormatting.labelSelector(daemonSet.spec.selector)),
        ]
    }

    static let statefulSet = TablePrinter(
        StatefulSet.self,
        columns: [
            Column.name,
            Column.string("Ready", "Number of the pod with ready state"),
            Column.age,
            Column.containers,
            Column.images,
        ]
    ) { statefulSet, now in
        let (names, images) = TableFormatting.containerCells(statefulSet.spec.template.spec.containers)
        return [
            .string(statefulSet.metadata.name ?? ""),
            .string("\(statefulSet.status.readyReplicas ?? 0)/\(statefulSet.spec.replicas ?? 0)"),
            .string(HumanDuration.since(statefulSet.metadata.creationTimestamp, now: now)),
            names, images,
        ]
    }

    static let controllerRevision = TablePrinter(
        ControllerRevision.self,
        columns: [
            Column.name,
            Column.string("Controller", "Controller of the object"),
            Column.string("Revision", "Revision indicates the revision of the state represented by Data."),
            Column.age,
        ]
    ) { (revision: ControllerRevision, now: Time) throws(APIError) -> [JSONValue] in
        [
            .string(revision.metadata.name ?? ""),
            .string(try controllerName(revision.metadata.ownerReferences ?? [])),
            .integer(revision.revision),
            .string(HumanDuration.since(revision.metadata.creationTimestamp, now: now)),
        ]
    }

    /// The controller owner as "daemonset.apps/name" (lower-cased kind and group), "<none>" without one.
    private static func controllerName(_ owners: [OwnerReference]) throws(APIError) -> String {
        guard let owner = owners.first(where: { $0.controller == true }) else { return "<none>" }
        // schema.ParseGroupVersion: "", "v1" or "group/version"; more slashes are an error.
        let parts = owner.apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw .internalError("unexpected GroupVersion string: \(owner.apiVersion)")
        }
        let group = parts.count == 2 ? String(parts[0]) : ""
        if group.isEmpty && owner.kind.isEmpty { return owner.name }
        let groupKind = group.isEmpty ? owner.kind : "\(owner.kind).\(group)"
        return "\(groupKind.lowercased())/\(owner.name)"
    }
}
