/// The four wire types Kubernetes messages use (3 and 4, groups, are long deprecated).
enum ProtobufWireType: Int, CustomStringConvertible, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5

    var description: String {
        switch self {
        case .varint: return "varint"
        case .fixed64: return "64-bit"
        case .lengthDelimited: return "length-delimited"
        case .fixed32: return "32-bit"
        }
    }
}

/// One field as it was written: its number and its raw value.
struct ProtobufWireField {
    enum Payload {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(ArraySlice<UInt8>)
    }

    var number: Int
    var payload: Payload

    var wireType: ProtobufWireType {
        switch payload {
        case .varint: return .varint
        case .fixed64: return .fixed64
        case .fixed32: return .fixed32
        case .bytes: return .lengthDelimited
        }
    }
}

/// Reads the fields of one message, in the order written. `message` and `path`
/// only name the message in errors.
struct ProtobufWireReader {
    private let bytes: ArraySlice<UInt8>
    private var index: Int
    private let message: String
    private let path: ProtobufPath

    init(_ bytes: ArraySlice<UInt8>, message: String, path: ProtobufPath) {
        self.bytes = bytes
        self.index = bytes.startIndex
        self.message = message
        self.path = path
    }

    /// The next field, or nil at the end of the message.
    mutating func next() throws(ProtobufError) -> ProtobufWireField? {
        guard !isAtEnd else { return nil }
        let tag = try varint()
        let number = tag >> 3
        guard number > 0, number <= 536_870_911 else {
            throw .malformed("illegal tag \(number) (wire type \(tag & 7))", in: message, at: path)
        }
        switch tag & 7 {
        case 0:
            return ProtobufWireField(number: Int(number), payload: .varint(try varint()))
        case 1:
            return ProtobufWireField(number: Int(number), payload: .fixed64(try littleEndian(8)))
        case 2:
            let length = try varint()
            guard length <= UInt64(Int.max) else {
                throw .malformed("negative length found during unmarshaling", in: message, at: path)
            }
            guard Int(length) <= bytes.endIndex - index else { throw .truncated(in: message, at: path) }
            let value = bytes[index..<index + Int(length)]
            index += Int(length)
            return ProtobufWireField(number: Int(number), payload: .bytes(value))
        case 5:
            return ProtobufWireField(number: Int(number), payload: .fixed32(UInt32(try littleEndian(4))))
        default:
            throw .malformed("illegal wireType \(tag & 7) for field \(number)", in: message, at: path)
        }
    }

    var isAtEnd: Bool { index >= bytes.endIndex }

    mutating func varint() throws(ProtobufError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw .truncated(in: message, at: path) }
            guard shift < 64 else { throw .malformed("integer overflow", in: message, at: path) }
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    private mutating func littleEndian(_ count: Int) throws(ProtobufError) -> UInt64 {
        guard bytes.endIndex - index >= count else { throw .truncated(in: message, at: path) }
        var value: UInt64 = 0
        for offset in 0..<count { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        index += count
        return value
    }
}
