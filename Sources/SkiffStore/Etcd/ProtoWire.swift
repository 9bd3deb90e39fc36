import Foundation

/// The Protocol Buffers wire types etcd's messages use.
enum ProtoWireType: UInt8, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}

/// A malformed or truncated protobuf message.
struct ProtoDecodingError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes protobuf fields, proto3 style: scalars at their default (0, false,
/// empty) are left out, as every protobuf encoder does.
struct ProtoWriter: Sendable {
    private(set) var bytes: [UInt8] = []

    init() {}

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Appends bytes as they are (the body of a fixed-width field).
    mutating func append(raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    mutating func tag(_ field: Int, _ type: ProtoWireType) {
        varint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    /// An `int64` (or enum) field; negative values take ten bytes, as protobuf's.
    mutating func int64(_ field: Int, _ value: Int64) {
        guard value != 0 else { return }
        tag(field, .varint)
        varint(UInt64(bitPattern: value))
    }

    mutating func bool(_ field: Int, _ value: Bool) {
        guard value else { return }
        tag(field, .varint)
        varint(1)
    }

    /// A `bytes` or `string` field.
    mutating func bytes<Bytes: Collection<UInt8>>(_ field: Int, _ value: Bytes) {
        guard !value.isEmpty else { return }
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A nested message, written even when empty: in a `oneof` its presence is what counts.
    mutating func message(_ field: Int, _ message: some ProtoEncodable) {
        var nested = ProtoWriter()
        message.encode(to: &nested)
        tag(field, .lengthDelimited)
        varint(UInt64(nested.bytes.count))
        bytes.append(contentsOf: nested.bytes)
    }
}

/// One field read off the wire.
struct ProtoField: Sendable {
    enum Value: Sendable {
        case varint(UInt64)
        case fixed64(UInt64)
        case lengthDelimited(ArraySlice<UInt8>)
        case fixed32(UInt32)
    }

    let number: Int
    let value: Value

    var int64: Int64 {
        get throws(ProtoDecodingError) {
            guard case .varint(let raw) = value else { throw mismatch("varint") }
            return Int64(bitPattern: raw)
        }
    }

    var bool: Bool {
        get throws(ProtoDecodingError) {
            guard case .varint(let raw) = value else { throw mismatch("varint") }
            return raw != 0
        }
    }

    var bytes: ArraySlice<UInt8> {
        get throws(ProtoDecodingError) {
            guard case .lengthDelimited(let slice) = value else { throw mismatch("length-delimited") }
            return slice
        }
    }

    var string: String {
        get throws(ProtoDecodingError) { String(decoding: try bytes, as: UTF8.self) }
    }

    func message<Message: ProtoDecodable>(_ type: Message.Type = Message.self) throws(ProtoDecodingError) -> Message {
        try Message(from: ProtoReader(try bytes))
    }

    private func mismatch(_ expected: String) -> ProtoDecodingError {
        ProtoDecodingError("field \(number) is not \(expected)")
    }
}

/// Reads the fields of one message in wire order; fields a decoder does not know
/// are skipped, as protobuf requires.
struct ProtoReader: Sendable {
    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// The next field, or nil at the end of the message.
    mutating func next() throws(ProtoDecodingError) -> ProtoField? {
        guard index < bytes.endIndex else { return nil }
        let key = try varint()
        let number = Int(key >> 3)
        guard number > 0 else { throw ProtoDecodingError("field number 0") }
        switch key & 7 {
        case 0:
            return ProtoField(number: number, value: .varint(try varint()))
        case 1:
            return ProtoField(number: number, value: .fixed64(try fixed(8)))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - index) else {
                throw ProtoDecodingError("field \(number) claims \(length) bytes, \(bytes.endIndex - index) left")
            }
            let start = index
            index += Int(length)
            return ProtoField(number: number, value: .lengthDelimited(bytes[start..<index]))
        case 5:
            return ProtoField(number: number, value: .fixed32(UInt32(try fixed(4))))
        case let type:
            throw ProtoDecodingError("field \(number) has unsupported wire type \(type)")
        }
    }

    private mutating func varint() throws(ProtoDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw ProtoDecodingError("varint longer than ten bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        throw ProtoDecodingError("truncated varint")
    }

    private mutating func fixed(_ width: Int) throws(ProtoDecodingError) -> UInt64 {
        guard bytes.endIndex - index >= width else { throw ProtoDecodingError("truncated fixed\(width * 8)") }
        var result: UInt64 = 0
        for offset in 0..<width {
            result |= UInt64(bytes[index + offset]) << (8 * UInt64(offset))
        }
        index += width
        return result
    }
}

/// A message that can be written to the wire.
protocol ProtoEncodable: Sendable {
    func encode(to writer: inout ProtoWriter)
}

/// A message that can be read from the wire.
protocol ProtoDecodable: Sendable {
    init(from reader: ProtoReader) throws(ProtoDecodingError)
}

extension ProtoEncodable {
    /// The message's wire bytes.
    func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        encode(to: &writer)
        return writer.bytes
    }
}

extension ProtoDecodable {
    init(decoding bytes: [UInt8]) throws(ProtoDecodingError) {
        try self.init(from: ProtoReader(bytes))
    }
}
