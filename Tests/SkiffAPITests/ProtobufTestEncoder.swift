@testable import SkiffAPI

/// A tiny protobuf writer for building test bodies by hand: each function returns
/// the bytes of one field, and a message is the concatenation of its fields.
enum Proto {
    static func varint(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        return bytes + [UInt8(rest)]
    }

    static func tag(_ number: Int, _ wireType: UInt64) -> [UInt8] { varint(UInt64(number) << 3 | wireType) }

    /// An int32, int64 or enum field: negative numbers take ten bytes, as in Go.
    static func int(_ number: Int, _ value: Int64) -> [UInt8] {
        tag(number, 0) + varint(UInt64(bitPattern: value))
    }

    static func bool(_ number: Int, _ value: Bool) -> [UInt8] { int(number, value ? 1 : 0) }

    static func bytes(_ number: Int, _ value: [UInt8]) -> [UInt8] {
        tag(number, 2) + varint(UInt64(value.count)) + value
    }

    static func string(_ number: Int, _ value: String) -> [UInt8] { bytes(number, Array(value.utf8)) }

    static func message(_ number: Int, _ fields: [UInt8]...) -> [UInt8] { bytes(number, fields.flatMap { $0 }) }

    /// One entry of a map<string, string> field.
    static func entry(_ number: Int, _ key: String, _ value: String) -> [UInt8] {
        message(number, string(1, key), string(2, value))
    }

    /// One entry of a map<string, Message> field.
    static func entry(_ number: Int, _ key: String, message value: [UInt8]...) -> [UInt8] {
        message(number, string(1, key), bytes(2, value.flatMap { $0 }))
    }

    /// A resource.Quantity field.
    static func quantity(_ number: Int, _ text: String) -> [UInt8] { message(number, string(1, text)) }

    /// An intstr.IntOrString field as gogo writes it: all three fields.
    static func intOrString(_ number: Int, _ value: Int32) -> [UInt8] {
        message(number, int(1, 0), int(2, Int64(value)), string(3, ""))
    }

    static func intOrString(_ number: Int, _ value: String) -> [UInt8] {
        message(number, int(1, 1), int(2, 0), string(3, value))
    }

    /// A whole body: `k8s\0` and runtime.Unknown around the object's fields.
    static func body(_ apiVersion: String, _ kind: String, _ fields: [UInt8]...) -> [UInt8] {
        [0x6b, 0x38, 0x73, 0x00]
            + message(1, string(1, apiVersion), string(2, kind))
            + bytes(2, fields.flatMap { $0 })
            + string(3, "") + string(4, "")
    }

    /// ObjectMeta as kubectl writes it for a new object: every Go value field, empty.
    static func objectMeta(name: String, namespace: String = "", _ more: [UInt8]...) -> [UInt8] {
        message(
            1, string(1, name), string(2, ""), string(3, namespace), string(4, ""), string(5, ""), string(6, ""),
            int(7, 0), message(8), more.flatMap { $0 })
    }
}

/// The document `bytes` decode to, or the error's message.
func protobufDocument(_ bytes: [UInt8]) throws -> JSONValue {
    try ProtobufDecoding.document(from: bytes)
}

/// JSON text parsed, for comparing documents.
func json(_ text: String) throws -> JSONValue {
    try JSONCodec.parse(Array(text.utf8))
}
