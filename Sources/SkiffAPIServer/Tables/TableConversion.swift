import SkiffAPI

/// Server-side printing for `kubectl get`: objects as a meta.k8s.io/v1 Table with
/// the columns and cells of upstream's printers (pkg/printers/internalversion), or
/// upstream's default Name / Created At table for kinds without a printer.
public enum TableConversion {
    /// What each row's `object` holds: ?includeObject=None|Metadata|Object (default Metadata).
    public enum IncludeObject: String, Sendable { case none = "None", metadata = "Metadata", object = "Object" }

    /// A Table of `objects`, every one of kind `type`. `noHeaders` leaves columnDefinitions empty (watch events after the first may use it).
    public static func table(
        of type: any APIObject.Type, objects: [any APIObject], listMeta: ListMeta = ListMeta(),
        includeObject: IncludeObject = .metadata, noHeaders: Bool = false, now: Time = .now()
    ) throws(APIError) -> Table {
        let printer = printers[ObjectIdentifier(type)] ?? defaultPrinter(for: type)
        var table = Table()
        table.setTypeMeta()
        table.metadata = listMeta
        if !noHeaders { table.columnDefinitions = printer.columns }
        for object in objects {
            guard ObjectIdentifier(Swift.type(of: object)) == printer.kind else {
                throw .internalError("a table of \(type.kind) cannot hold a \(Swift.type(of: object).kind)")
            }
            var row = try printer.row(for: object, now: now)
            row.object = try embedded(object, as: includeObject)
            table.rows.append(row)
        }
        return table
    }

    /// The printers of every kind that has one upstream; the rest get the default table.
    private static let printers: [ObjectIdentifier: TablePrinter] = {
        let all: [TablePrinter] = [
            PodTable.printer, NodeTable.printer, CoreTables.namespace, ServiceTables.service,
            ServiceTables.endpoints, ServiceTables.endpointSlice, CoreTables.configMap, CoreTables.secret,
            CoreTables.serviceAccount, EventTable.printer, CoreTables.replicationController,
            CoreTables.persistentVolumeClaim,
            AppsTables.deployment, AppsTables.replicaSet, AppsTables.daemonSet, AppsTables.statefulSet,
            AppsTables.controllerRevision,
            BatchTables.job, BatchTables.cronJob,
            OtherTables.lease, OtherTables.roleBinding, OtherTables.clusterRoleBinding,
        ]
        return Dictionary(uniqueKeysWithValues: all.map { ($0.kind, $0) })
    }()

    /// Upstream's defaultTableConvertor: the name, and the creation time as RFC 3339.
    private static func defaultPrinter(for type: any APIObject.Type) -> TablePrinter {
        TablePrinter(
            kind: ObjectIdentifier(type),
            columns: [
                Column.name,
                TableColumnDefinition(
                    name: "Created At", type: "date",
                    description: "CreationTimestamp is a timestamp representing the server time when this object "
                        + "was created."),
            ]
        ) { object, _ in
            // Go formats an unset timestamp as its zero time.
            let created = object.metadata.creationTimestamp?.description ?? "0001-01-01T00:00:00Z"
            return TableRow(cells: [.string(object.metadata.name ?? ""), .string(created)])
        }
    }

    /// What a row carries of its object, as upstream's handlers fill TableRow.object.
    private static func embedded(_ object: any APIObject, as include: IncludeObject) throws(APIError) -> JSONValue? {
        switch include {
        case .none:
            return nil
        case .metadata:
            return try encode(PartialObjectMetadata(metadata: object.metadata))
        case .object:
            var full = object
            full.setTypeMeta()
            return try encode(full)
        }
    }

    private static func encode(_ value: some Encodable) throws(APIError) -> JSONValue {
        do {
            return try JSONCodec.encodeValue(value)
        } catch {
            throw .internalError("unable to encode the object of a table row: \(error)")
        }
    }
}
