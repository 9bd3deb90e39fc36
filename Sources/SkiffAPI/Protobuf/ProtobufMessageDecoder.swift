/// Turns the bytes of one message into the JSON object a JSON client would have
/// sent, following the schema.
///
/// Zero values: gogo-protobuf writes every non-pointer field of a Go struct, even
/// when it is empty: "" strings, 0 numbers, false bools and empty nested messages.
/// Empty strings of Go value fields are dropped, since Go itself cannot tell them
/// from unset and a JSON client would have left them out; numbers, bools and nested
/// messages are kept as written (`"replicas": 0` and `"status": {}` decode to what
/// Go holds). Strings of pointer fields, list elements and map values keep "".
enum ProtobufMessageDecoder {
    static func object(
        _ bytes: ArraySlice<UInt8>, message: String, at path: ProtobufPath
    ) throws(ProtobufError) -> JSONObject {
        guard let schema = ProtobufSchema.messages[message] else {
            throw ProtobufError(
                code: .unknownField, message: "proto: Skiff's protobuf schema has no message \(message) (at \(path))")
        }
        // Fields may come in any order and a field may repeat: list elements add up,
        // a message written twice merges (as its concatenated bytes do), and the last
        // scalar wins.
        var written: [Int: [ProtobufWireField]] = [:]
        var reader = ProtobufWireReader(bytes, message: message, path: path)
        while let field = try reader.next() {
            guard schema[field.number] != nil else { throw .unknownField(field.number, in: message, at: path) }
            written[field.number, default: []].append(field)
        }
        var entries: [(key: String, value: JSONValue)] = []
        for number in written.keys.sorted() {
            let field = schema[number]!
            let occurrences = written[number]!
            let fieldPath = path.child(field.name)
            func checked(_ wire: ProtobufWireField) throws(ProtobufError) -> ProtobufWireField {
                let expected = field.value.wireType
                let packed = field.shape == .repeated && field.value.isPackable && wire.wireType == .lengthDelimited
                guard wire.wireType == expected || packed else {
                    throw .wireTypeMismatch(
                        wire.wireType, field: number, expected: expected, in: message, at: fieldPath)
                }
                return wire
            }
            switch field.shape {
            case .single:
                if case .message = field.value {
                    let merged = try concatenated(occurrences.map { wire throws(ProtobufError) in try checked(wire) })
                    if let value = try self.value(.bytes(merged), of: field.value, at: fieldPath) {
                        entries.append((field.name, value))
                    }
                } else {
                    let last = try checked(occurrences.last!)
                    if let value = try self.value(last.payload, of: field.value, at: fieldPath),
                        value != .string("") || field.value.keepsEmpty
                    {
                        entries.append((field.name, value))
                    }
                }
            case .repeated:
                var values: [JSONValue] = []
                for wire in occurrences {
                    for payload in try elements(of: try checked(wire), value: field.value, at: fieldPath) {
                        values.append(try value(payload, of: field.value, at: .index(fieldPath, values.count)) ?? .null)
                    }
                }
                entries.append((field.name, .array(values)))
            case .map:
                // A key written twice keeps its first place and its last value, as a Go map would.
                var map: [(key: String, value: JSONValue)] = []
                var positions: [String: Int] = [:]
                for wire in occurrences {
                    let entry = try mapEntry(try checked(wire), value: field.value, at: fieldPath)
                    if let position = positions[entry.key] {
                        map[position].value = entry.value
                    } else {
                        positions[entry.key] = map.count
                        map.append(entry)
                    }
                }
                entries.append((field.name, .object(JSONObject(map))))
            case .inline:
                guard case .message(let type) = field.value else { preconditionFailure("inline fields are messages") }
                let merged = try concatenated(occurrences.map { wire throws(ProtobufError) in try checked(wire) })
                entries += try object(merged, message: type, at: path).entries
            }
        }
        return JSONObject(entries)
    }

    /// One value as JSON; nil for a value Go writes as null (a zero Time).
    private static func value(
        _ payload: ProtobufWireField.Payload, of kind: ProtobufField.Value, at path: ProtobufPath
    ) throws(ProtobufError) -> JSONValue? {
        switch (kind, payload) {
        case (.string, .bytes(let bytes)):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .invalidValue("invalid UTF-8", at: path)
            }
            return .string(text)
        case (.bytes, .bytes(let bytes)):
            return .string(Base64Bytes(Array(bytes)).base64)
        case (.int32, .varint(let raw)):
            return .integer(Int32(truncatingIfNeeded: raw))
        case (.int64, .varint(let raw)):
            return .integer(Int64(bitPattern: raw))
        case (.bool, .varint(let raw)):
            return .bool(raw != 0)
        case (.message(let type), .bytes(let bytes)):
            if let special = ProtobufSpecialType(rawValue: type) { return try special.json(from: bytes, at: path) }
            return .object(try object(bytes, message: type, at: path))
        default:
            // The callers checked the wire type; packed elements arrive as varints.
            throw .invalidValue("a value of the wrong wire type", at: path)
        }
    }

    /// The elements of one occurrence of a repeated field: one, or several packed.
    private static func elements(
        of wire: ProtobufWireField, value kind: ProtobufField.Value, at path: ProtobufPath
    ) throws(ProtobufError) -> [ProtobufWireField.Payload] {
        guard kind.isPackable, case .bytes(let packed) = wire.payload else { return [wire.payload] }
        var payloads: [ProtobufWireField.Payload] = []
        var reader = ProtobufWireReader(packed, message: "a packed list", path: path)
        while !reader.isAtEnd { payloads.append(.varint(try reader.varint())) }
        return payloads
    }

    /// A map entry message: key = 1 (a string), value = 2.
    private static func mapEntry(
        _ wire: ProtobufWireField, value kind: ProtobufField.Value, at path: ProtobufPath
    ) throws(ProtobufError) -> (key: String, value: JSONValue) {
        guard case .bytes(let bytes) = wire.payload else { return ("", .null) }
        let entryName = "a map entry"
        var reader = ProtobufWireReader(bytes, message: entryName, path: path)
        var key = ""
        var value: ProtobufWireField.Payload?
        while let field = try reader.next() {
            switch field.number {
            case 1:
                guard case .bytes(let keyBytes) = field.payload, let text = String(validating: keyBytes, as: UTF8.self)
                else { throw .invalidValue("a map key that is not a UTF-8 string", at: path) }
                key = text
            case 2:
                guard field.wireType == kind.wireType else {
                    throw .wireTypeMismatch(field.wireType, field: 2, expected: kind.wireType, in: entryName, at: path)
                }
                value = field.payload
            default:
                throw .unknownField(field.number, in: entryName, at: path)
            }
        }
        // An entry without a value holds the value type's zero, as in Go.
        let payload = value ?? (kind.wireType == .varint ? .varint(0) : .bytes([]))
        return (key, try self.value(payload, of: kind, at: .key(path, key)) ?? .null)
    }

    private static func concatenated(_ wires: [ProtobufWireField]) throws(ProtobufError) -> ArraySlice<UInt8> {
        var slices: [ArraySlice<UInt8>] = []
        for wire in wires { if case .bytes(let bytes) = wire.payload { slices.append(bytes) } }
        return slices.count == 1 ? slices[0] : ArraySlice(slices.joined())
    }
}

extension ProtobufField.Value {
    var wireType: ProtobufWireType {
        switch self {
        case .int32, .int64, .bool: return .varint
        case .string, .bytes, .message: return .lengthDelimited
        }
    }

    /// Whether a repeated field of this value may be packed into one length-delimited run.
    var isPackable: Bool { wireType == .varint }

    var keepsEmpty: Bool {
        if case .string(let keepsEmpty) = self { return keepsEmpty }
        return true
    }
}
