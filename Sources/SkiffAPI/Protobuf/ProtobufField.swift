/// One field of a protobuf message as Skiff reads it: the JSON name it takes and
/// how its wire value becomes JSON. Upstream names fields after their JSON names in
/// generated.proto, so `name` is mostly both (authentication/v1's `uID` is `uid`).
struct ProtobufField: Sendable {
    /// What one value of the field is.
    enum Value: Sendable {
        /// A string. `keepsEmpty` is false for Go value fields (`string`): gogo-protobuf
        /// writes those even when empty, and Go cannot tell "" from unset for them, so ""
        /// is dropped as a JSON client would omit it. It is true for pointer fields
        /// (`*string`), which are written only when set, so their "" means something
        /// (a PVC's `storageClassName: ""` turns dynamic provisioning off).
        case string(keepsEmpty: Bool)
        case int32
        case int64
        case bool
        /// Bytes, which JSON carries as base64.
        case bytes
        /// A nested message by its schema name ("core.v1.PodSpec"), or one of the
        /// types that have a JSON form of their own (`ProtobufSpecialType`).
        case message(String)
    }

    /// How the field's values sit in its message.
    enum Shape: Sendable {
        case single
        case repeated
        /// A map with string keys: repeated entry messages {key = 1, value = 2}.
        case map
        /// A Go struct embedded with `json:",inline"` (a Volume's VolumeSource): the
        /// nested message's fields belong to the enclosing JSON object.
        case inline
    }

    let name: String
    let value: Value
    let shape: Shape
}

// Short constructors for the schema tables, one per kind of field upstream uses.
extension ProtobufField {
    /// A Go `string`: "" is dropped.
    static func string(_ name: String) -> Self { .init(name: name, value: .string(keepsEmpty: false), shape: .single) }
    /// A Go `*string`: "" is kept.
    static func optionalString(_ name: String) -> Self {
        .init(name: name, value: .string(keepsEmpty: true), shape: .single)
    }
    static func strings(_ name: String) -> Self {
        .init(name: name, value: .string(keepsEmpty: true), shape: .repeated)
    }
    static func int32(_ name: String) -> Self { .init(name: name, value: .int32, shape: .single) }
    static func int32s(_ name: String) -> Self { .init(name: name, value: .int32, shape: .repeated) }
    static func int64(_ name: String) -> Self { .init(name: name, value: .int64, shape: .single) }
    static func int64s(_ name: String) -> Self { .init(name: name, value: .int64, shape: .repeated) }
    static func bool(_ name: String) -> Self { .init(name: name, value: .bool, shape: .single) }
    static func bytes(_ name: String) -> Self { .init(name: name, value: .bytes, shape: .single) }
    static func message(_ name: String, _ type: String) -> Self {
        .init(name: name, value: .message(type), shape: .single)
    }
    static func messages(_ name: String, _ type: String) -> Self {
        .init(name: name, value: .message(type), shape: .repeated)
    }
    static func inline(_ type: String) -> Self { .init(name: "", value: .message(type), shape: .inline) }
    /// map<string, string>: an empty value is kept (a label may be "").
    static func stringMap(_ name: String) -> Self { .init(name: name, value: .string(keepsEmpty: true), shape: .map) }
    /// map<string, bytes>, e.g. a Secret's `data`.
    static func bytesMap(_ name: String) -> Self { .init(name: name, value: .bytes, shape: .map) }
    /// map<string, Message>, e.g. a ResourceList of Quantities.
    static func map(_ name: String, _ type: String) -> Self { .init(name: name, value: .message(type), shape: .map) }
}

/// A message of the schema: field number → field.
typealias ProtobufMessage = [Int: ProtobufField]
