/// Why a protobuf request body could not be turned into JSON. Messages follow
/// upstream's (apimachinery's protobuf serializer and gogo-protobuf's generated
/// unmarshalers) and name the field by its JSON path.
public struct ProtobufError: Error, Equatable, CustomStringConvertible {
    /// The kind of failure; more may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public var description: String { rawValue }

        /// The body lacks the `k8s\0` envelope.
        public static let notProtobuf = Code(rawValue: "notProtobuf")
        /// The body ends inside a field or a length runs past its message.
        public static let truncated = Code(rawValue: "truncated")
        /// Bytes that no protobuf encoder writes: a bad tag, varint or wire type.
        public static let malformed = Code(rawValue: "malformed")
        /// The envelope names a kind Skiff does not serve.
        public static let unknownKind = Code(rawValue: "unknownKind")
        /// A field number Skiff's schema lacks; refused rather than dropped.
        public static let unknownField = Code(rawValue: "unknownField")
        /// A field written with another wire type than its schema's.
        public static let wireTypeMismatch = Code(rawValue: "wireTypeMismatch")
        /// A well-formed value that has no JSON form: bad UTF-8, an impossible
        /// IntOrString, a time out of range, raw bytes that are not JSON.
        public static let invalidValue = Code(rawValue: "invalidValue")
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

extension ProtobufError {
    static let notProtobuf = ProtobufError(
        code: .notProtobuf,
        message: "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")

    static func truncated(in message: String, at path: ProtobufPath) -> ProtobufError {
        ProtobufError(code: .truncated, message: "proto: unexpected EOF in \(path.located(in: message))")
    }

    static func malformed(_ problem: String, in message: String, at path: ProtobufPath) -> ProtobufError {
        ProtobufError(code: .malformed, message: "proto: \(problem) in \(path.located(in: message))")
    }

    static func unknownField(_ number: Int, in message: String, at path: ProtobufPath) -> ProtobufError {
        ProtobufError(
            code: .unknownField,
            message: "proto: unknown field \(number) in \(path.located(in: message)): "
                + "Skiff's protobuf schema does not have it, so the body cannot be read without losing data")
    }

    static func wireTypeMismatch(
        _ wireType: ProtobufWireType, field number: Int, expected: ProtobufWireType, in message: String,
        at path: ProtobufPath
    ) -> ProtobufError {
        ProtobufError(
            code: .wireTypeMismatch,
            message: "proto: wrong wireType = \(wireType.rawValue) (\(wireType)) for field \(path), "
                + "field \(number) of \(message), expected \(expected.rawValue) (\(expected))")
    }

    static func invalidValue(_ problem: String, at path: ProtobufPath) -> ProtobufError {
        ProtobufError(code: .invalidValue, message: "proto: \(problem) in field \(path)")
    }
}

/// Where in the object a value sits, as a JSON path (`spec.containers[0].image`).
/// A linked list so that reading a body builds no strings unless it fails.
indirect enum ProtobufPath: CustomStringConvertible, Sendable {
    case root
    case field(ProtobufPath, String)
    case index(ProtobufPath, Int)
    case key(ProtobufPath, String)

    func child(_ name: String) -> ProtobufPath { .field(self, name) }

    var description: String {
        switch self {
        case .root: return "<root>"
        case .field(.root, let name): return name
        case .field(let parent, let name): return "\(parent).\(name)"
        case .index(let parent, let index): return "\(parent)[\(index)]"
        case .key(let parent, let key): return "\(parent)[\(key)]"
        }
    }

    /// "spec.template (core.v1.PodTemplateSpec)", or the message alone at the top.
    func located(in message: String) -> String {
        if case .root = self { return message }
        return "\(self) (\(message))"
    }
}
