/// The messages whose JSON form is not an object: upstream gives their Go types
/// custom JSON marshalers, and the JSON here is what those write.
enum ProtobufSpecialType: String, CaseIterable {
    /// {string = 1}: the quantity's text.
    case quantity = "resource.Quantity"
    /// {type = 1, intVal = 2, strVal = 3}: a number or a string.
    case intOrString = "intstr.IntOrString"
    /// {seconds = 1, nanos = 2}: RFC 3339 with whole seconds.
    case time = "meta.v1.Time"
    /// {seconds = 1, nanos = 2}: RFC 3339 with microseconds.
    case microTime = "meta.v1.MicroTime"
    /// {duration = 1} in nanoseconds: Go's duration text ("1h0m0s").
    case duration = "meta.v1.Duration"
    /// {raw = 1}: the embedded object, JSON (or a protobuf envelope of its own).
    case rawExtension = "runtime.RawExtension"
    /// {Raw = 1}: the managed fields set, JSON.
    case fieldsV1 = "meta.v1.FieldsV1"

    /// The value's JSON, or nil where Go writes null: a zero time (gogo writes it as
    /// an empty message) or an empty raw extension.
    func json(from bytes: ArraySlice<UInt8>, at path: ProtobufPath) throws(ProtobufError) -> JSONValue? {
        let fields = try scalars(bytes, at: path)
        switch self {
        case .quantity:
            // Go's zero Quantity prints as "0".
            return .string(try fields.string(1) ?? "0")
        case .intOrString:
            switch fields.varint(1) ?? 0 {
            case 0: return .integer(Int32(truncatingIfNeeded: fields.varint(2) ?? 0))
            case 1: return .string(try fields.string(3) ?? "")
            case let type: throw .invalidValue("impossible IntOrString.Type \(Int64(bitPattern: type))", at: path)
            }
        case .time, .microTime:
            if bytes.isEmpty { return nil }
            let seconds = Int64(bitPattern: fields.varint(1) ?? 0)
            let nanos = Int64(Int32(truncatingIfNeeded: fields.varint(2) ?? 0))
            let scaled = seconds.multipliedReportingOverflow(by: 1_000_000_000)
            let total = scaled.partialValue.addingReportingOverflow(nanos)
            guard !scaled.overflow, !total.overflow else {
                throw .invalidValue("time \(seconds)s after the epoch is out of range", at: path)
            }
            return .string(
                self == .time
                    ? Time(nanosecondsSinceEpoch: total.partialValue).description
                    : MicroTime(nanosecondsSinceEpoch: total.partialValue).description)
        case .duration:
            return .string(GoDuration.string(nanoseconds: Int64(bitPattern: fields.varint(1) ?? 0)))
        case .rawExtension, .fieldsV1:
            guard let raw = fields.bytes(1), !raw.isEmpty else { return nil }
            if raw.starts(with: ProtobufDecoding.magic) { return try ProtobufDecoding.document(from: Array(raw)) }
            do { return try JSONCodec.parse(Array(raw)) } catch {
                throw .invalidValue("\(rawValue) that is not JSON (\(error))", at: path)
            }
        }
    }

    /// The message's fields by number, each checked against the wire type it has
    /// in upstream's schema.
    private func scalars(_ bytes: ArraySlice<UInt8>, at path: ProtobufPath) throws(ProtobufError) -> Fields {
        let expected: [Int: ProtobufWireType]
        switch self {
        case .quantity, .rawExtension, .fieldsV1: expected = [1: .lengthDelimited]
        case .intOrString: expected = [1: .varint, 2: .varint, 3: .lengthDelimited]
        case .time, .microTime: expected = [1: .varint, 2: .varint]
        case .duration: expected = [1: .varint]
        }
        var fields = Fields(path: path)
        var reader = ProtobufWireReader(bytes, message: rawValue, path: path)
        while let field = try reader.next() {
            guard let wireType = expected[field.number] else {
                throw .unknownField(field.number, in: rawValue, at: path)
            }
            guard field.wireType == wireType else {
                throw .wireTypeMismatch(field.wireType, field: field.number, expected: wireType, in: rawValue, at: path)
            }
            fields.values[field.number] = field.payload
        }
        return fields
    }

    private struct Fields {
        let path: ProtobufPath
        var values: [Int: ProtobufWireField.Payload] = [:]

        func varint(_ number: Int) -> UInt64? {
            if case .varint(let value) = values[number] { return value }
            return nil
        }

        func bytes(_ number: Int) -> ArraySlice<UInt8>? {
            if case .bytes(let value) = values[number] { return value }
            return nil
        }

        func string(_ number: Int) throws(ProtobufError) -> String? {
            guard let bytes = bytes(number) else { return nil }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw .invalidValue("invalid UTF-8", at: path)
            }
            return text
        }
    }
}

extension GoDuration {
    /// time.Duration.String(): "1h2m3.5s", "1.5ms", "0s".
    static func string(nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        // Go prints the fraction's digits without trailing zeros, and no point when none is left.
        func split(_ value: UInt64, fractionDigits: Int) -> (whole: UInt64, fraction: String) {
            var rest = value
            var digits = ""
            for _ in 0..<fractionDigits {
                let digit = rest % 10
                if !digits.isEmpty || digit != 0 { digits = String(digit) + digits }
                rest /= 10
            }
            return (rest, digits.isEmpty ? "" : "." + digits)
        }
        if magnitude < 1_000_000_000 {
            let (unit, digits) = magnitude < 1_000 ? ("ns", 0) : magnitude < 1_000_000 ? ("µs", 3) : ("ms", 6)
            let (whole, fraction) = split(magnitude, fractionDigits: digits)
            return sign + String(whole) + fraction + unit
        }
        let (seconds, fraction) = split(magnitude, fractionDigits: 9)
        var text = String(seconds % 60) + fraction + "s"
        let minutes = seconds / 60
        if minutes > 0 {
            text = String(minutes % 60) + "m" + text
            if minutes / 60 > 0 { text = String(minutes / 60) + "h" + text }
        }
        return sign + text
    }
}
