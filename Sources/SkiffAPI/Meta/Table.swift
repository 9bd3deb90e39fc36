/// meta.k8s.io/v1 Table: objects rendered as rows of cells under column definitions,
/// what the API server returns to `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
/// and `kubectl get` prints as is.
public struct Table: APIKind {
    public static let apiVersion = "meta.k8s.io/v1"
    public static let kind = "Table"

    public var kind: String?
    public var apiVersion: String?
    /// resourceVersion, continue token and remaining item count of the list shown.
    public var metadata = ListMeta()
    /// The columns, in order; empty when the client asked for no headers.
    public var columnDefinitions: [TableColumnDefinition] = []
    public var rows: [TableRow] = []

    public init() {}
}

/// meta.k8s.io/v1 TableColumnDefinition: one column of a Table. Every field is
/// always written, as upstream does.
public struct TableColumnDefinition: Codable, Hashable, Sendable {
    /// The header kubectl prints, upper-cased: "Name", "Ready", "Nominated Node".
    public var name: String = ""
    /// An OpenAPI type: "string", "integer", "number", "boolean" or "date".
    public var type: String = ""
    /// An OpenAPI format hint; "name" marks the column that holds the object's name.
    public var format: String = ""
    /// What the column shows.
    public var description: String = ""
    /// 0 for columns kubectl shows by default, higher for `-o wide` only.
    public var priority: Int32 = 0

    public init() {}

    public init(name: String, type: String, format: String = "", description: String, priority: Int32 = 0) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }
}

/// meta.k8s.io/v1 TableRow: the cells of one object, one per column.
public struct TableRow: Codable, Hashable, Sendable {
    /// Strings, integers, booleans or numbers, in column order.
    public var cells: [JSONValue] = []
    /// Facts about the row, e.g. that a pod has completed.
    public var conditions: [TableRowCondition]?
    /// The object the row shows, as asked by `includeObject`: a PartialObjectMetadata,
    /// the full object, or nothing.
    public var object: JSONValue?

    public init() {}

    public init(cells: [JSONValue], conditions: [TableRowCondition]? = nil, object: JSONValue? = nil) {
        self.cells = cells
        self.conditions = conditions
        self.object = object
    }
}

/// meta.k8s.io/v1 TableRowCondition: a condition of a row ("Completed").
public struct TableRowCondition: Codable, Hashable, Sendable {
    /// "Completed": the row's object is in a final state (a pod that succeeded or failed).
    public var type: String = ""
    /// "True", "False" or "Unknown".
    public var status: String = ""
    public var reason: String?
    public var message: String?

    public init() {}

    public init(type: String, status: String, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
    }
}

/// meta.k8s.io/v1 PartialObjectMetadata: an object's TypeMeta and metadata alone,
/// what each Table row carries by default.
public struct PartialObjectMetadata: APIKind {
    public static let apiVersion = "meta.k8s.io/v1"
    public static let kind = "PartialObjectMetadata"

    public var kind: String?
    public var apiVersion: String?
    public var metadata = ObjectMeta()

    public init() {}

    /// The metadata of `metadata`'s object, with TypeMeta set.
    public init(metadata: ObjectMeta) {
        self.metadata = metadata
        setTypeMeta()
    }
}
