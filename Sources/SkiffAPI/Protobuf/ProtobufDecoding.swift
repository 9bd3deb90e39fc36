/// Reads request bodies in Kubernetes' protobuf encoding, which kubectl and
/// client-go's typed clients send for writes, into the JSON document a JSON client
/// would have sent, so that the API server goes on working on JSON alone.
///
/// A body is 4 magic bytes, `k8s\0`, then a runtime.Unknown message: typeMeta = 1
/// {apiVersion = 1, kind = 2}, raw = 2 (the object's own message), contentEncoding
/// = 3, contentType = 4. Field numbers are upstream's, from the v1.32 generated.proto
/// files (`ProtobufSchema`).
public enum ProtobufDecoding {
    /// The media type of Kubernetes protobuf bodies.
    public static let contentType = "application/vnd.kubernetes.protobuf"

    /// `k8s\0`, which starts every body.
    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// The object in `bytes` as a JSON tree, with `apiVersion` and `kind` set from
    /// the envelope. Throws for a body without the envelope, a kind Skiff does not
    /// serve, bytes that are not well-formed protobuf, and fields Skiff's schema
    /// lacks (which are refused rather than dropped).
    public static func document(from bytes: [UInt8]) throws(ProtobufError) -> JSONValue {
        guard bytes.starts(with: magic) else { throw .notProtobuf }
        let envelope = try Envelope(bytes[magic.count...])
        guard !envelope.kind.isEmpty else {
            throw ProtobufError(code: .unknownKind, message: "Object 'Kind' is missing in the protobuf envelope")
        }
        guard envelope.contentEncoding.isEmpty else {
            throw ProtobufError(
                code: .invalidValue,
                message: "unsupported content encoding \"\(envelope.contentEncoding)\" in the protobuf envelope")
        }
        guard envelope.contentType.isEmpty || envelope.contentType == contentType else {
            throw ProtobufError(
                code: .invalidValue,
                message: "unsupported content type \"\(envelope.contentType)\" in the protobuf envelope")
        }
        guard let message = ProtobufSchema.message(apiVersion: envelope.apiVersion, kind: envelope.kind) else {
            throw ProtobufError(
                code: .unknownKind,
                message: "no kind \"\(envelope.kind)\" is registered for version \"\(envelope.apiVersion)\" "
                    + "in scheme \"skiff\"")
        }
        let object = try ProtobufMessageDecoder.object(envelope.raw, message: message, at: .root)
        return .object(JSONObject([("apiVersion", .string(envelope.apiVersion)), ("kind", .string(envelope.kind))]
            + object.entries.filter { $0.key != "apiVersion" && $0.key != "kind" }))
    }

    /// runtime.Unknown, the envelope around every object.
    private struct Envelope {
        var apiVersion = ""
        var kind = ""
        var raw: ArraySlice<UInt8> = []
        var contentEncoding = ""
        var contentType = ""

        init(_ bytes: ArraySlice<UInt8>) throws(ProtobufError) {
            let unknown = "runtime.Unknown"
            var reader = ProtobufWireReader(bytes, message: "runtime.Unknown", path: .root)
            while let field = try reader.next() {
                switch field.number {
                case 1:
                    let path = ProtobufPath.root.child("typeMeta")
                    let message = "runtime.TypeMeta"
                    let typeMetaBytes = try Self.bytes(field, of: unknown, at: path)
                    var typeMeta = ProtobufWireReader(typeMetaBytes, message: message, path: path)
                    while let meta = try typeMeta.next() {
                        switch meta.number {
                        case 1: apiVersion = try Self.string(meta, of: message, at: path.child("apiVersion"))
                        case 2: kind = try Self.string(meta, of: message, at: path.child("kind"))
                        default: throw .unknownField(meta.number, in: message, at: path)
                        }
                    }
                case 2: raw = try Self.bytes(field, of: unknown, at: .root.child("raw"))
                case 3: contentEncoding = try Self.string(field, of: unknown, at: .root.child("contentEncoding"))
                case 4: contentType = try Self.string(field, of: unknown, at: .root.child("contentType"))
                default: throw .unknownField(field.number, in: unknown, at: .root)
                }
            }
        }

        private static func bytes(
            _ field: ProtobufWireField, of message: String, at path: ProtobufPath
        ) throws(ProtobufError) -> ArraySlice<UInt8> {
            guard case .bytes(let bytes) = field.payload else {
                throw .wireTypeMismatch(
                    field.wireType, field: field.number, expected: .lengthDelimited, in: message, at: path)
            }
            return bytes
        }

        private static func string(
            _ field: ProtobufWireField, of message: String, at path: ProtobufPath
        ) throws(ProtobufError) -> String {
            guard let text = String(validating: try bytes(field, of: message, at: path), as: UTF8.self) else {
                throw .invalidValue("invalid UTF-8", at: path)
            }
            return text
        }
    }
}
