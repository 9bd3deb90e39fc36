import SkiffAPI

/// How one kind prints, after upstream's printers.go: its columns and the row of
/// one object. Rows are generated as upstream's server does, with `Wide: true`, so
/// they carry a cell for every column and kubectl picks the ones to show.
struct TablePrinter: Sendable {
    /// The kind this printer prints, as `ObjectIdentifier` of its type.
    let kind: ObjectIdentifier
    let columns: [TableColumnDefinition]
    private let makeRow: @Sendable (any APIObject, Time) throws(APIError) -> TableRow

    /// A printer for any kind, given the row of an object whose type it does not know.
    init(
        kind: ObjectIdentifier, columns: [TableColumnDefinition],
        row: @escaping @Sendable (any APIObject, Time) throws(APIError) -> TableRow
    ) {
        self.kind = kind
        self.columns = columns
        self.makeRow = row
    }

    /// A printer for `type` whose rows come from `row` (cells, and conditions if any).
    init<T: APIObject>(
        _ type: T.Type, columns: [TableColumnDefinition],
        row: @escaping @Sendable (T, Time) throws(APIError) -> TableRow
    ) {
        self.init(kind: ObjectIdentifier(type), columns: columns) {
            (object: any APIObject, now: Time) throws(APIError) -> TableRow in
            guard let typed = object as? T else {
                throw .internalError("cannot print \(Swift.type(of: object).kind) in a table of \(T.kind)")
            }
            return try row(typed, now)
        }
    }

    /// A printer whose rows are cells only, the common case.
    init<T: APIObject>(
        _ type: T.Type, columns: [TableColumnDefinition],
        cells: @escaping @Sendable (T, Time) throws(APIError) -> [JSONValue]
    ) {
        self.init(type, columns: columns) { (object: T, now: Time) throws(APIError) -> TableRow in
            TableRow(cells: try cells(object, now))
        }
    }

    func row(for object: any APIObject, now: Time) throws(APIError) -> TableRow {
        try makeRow(object, now)
    }
}

/// The column definitions printers share. Descriptions are short forms of the
/// field docs upstream uses; kubectl shows them only in `kubectl explain`-like tools.
enum Column {
    /// The object's name; format "name" tells kubectl which column names the object.
    static let name = TableColumnDefinition(
        name: "Name", type: "string", format: "name",
        description: "Name must be unique within a namespace. It is required when creating resources.")

    /// The object's age, from metadata.creationTimestamp.
    static let age = TableColumnDefinition(
        name: "Age", type: "string",
        description: "CreationTimestamp is a timestamp representing the server time when this object was created.")

    static let containers = string(
        "Containers", "Names of each container in the template.", priority: 1)
    static let images = string(
        "Images", "Images referenced by each container in the template.", priority: 1)

    static func string(_ name: String, _ description: String, priority: Int32 = 0) -> TableColumnDefinition {
        TableColumnDefinition(name: name, type: "string", description: description, priority: priority)
    }

    static func integer(_ name: String, _ description: String, priority: Int32 = 0) -> TableColumnDefinition {
        TableColumnDefinition(name: name, type: "integer", description: description, priority: priority)
    }

    static func boolean(_ name: String, _ description: String, priority: Int32 = 0) -> TableColumnDefinition {
        TableColumnDefinition(name: name, type: "boolean", description: description, priority: priority)
    }
}
