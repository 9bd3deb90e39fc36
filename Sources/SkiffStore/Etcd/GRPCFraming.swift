import Foundation
import NIOCore

/// The status a gRPC server ends a call with (`grpc-status`, `grpc-message`).
struct GRPCStatus: Error, Sendable, CustomStringConvertible {
    /// gRPC's status codes that Skiff tells apart.
    enum Code: Int, Sendable {
        case ok = 0, cancelled = 1, unknown = 2, invalidArgument = 3, deadlineExceeded = 4
        case notFound = 5, alreadyExists = 6, permissionDenied = 7, resourceExhausted = 8
        case failedPrecondition = 9, aborted = 10, outOfRange = 11, unimplemented = 12
        case `internal` = 13, unavailable = 14, dataLoss = 15, unauthenticated = 16
    }

    let rawCode: Int
    let message: String

    init(rawCode: Int, message: String) {
        self.rawCode = rawCode
        self.message = message
    }

    var code: Code { Code(rawValue: rawCode) ?? .unknown }

    var description: String { "grpc status \(rawCode) (\(code)): \(message)" }

    /// Reads the status from trailers (or a trailers-only response); nil when
    /// they carry none.
    init?(trailers: [(name: String, value: String)]) {
        guard let raw = trailers.first(where: { $0.name == "grpc-status" })?.value, let code = Int(raw) else { return nil }
        let encoded = trailers.first(where: { $0.name == "grpc-message" })?.value ?? ""
        self.init(rawCode: code, message: encoded.removingPercentEncoding ?? encoded)
    }
}

/// A call that failed below gRPC: the connection could not be made, was lost, or
/// the server sent something that is not a gRPC response.
struct GRPCTransportError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// gRPC's length-prefixed messages: a compressed flag byte, a big-endian 32-bit
/// length, the protobuf bytes.
enum GRPCFraming {
    /// The largest message Skiff accepts from etcd: well above its largest value,
    /// small enough that a corrupt length cannot make it allocate without bound.
    static let maximumMessageSize = 64 << 20

    static func frame(_ message: [UInt8], allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: message.count + 5)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(message.count))
        buffer.writeBytes(message)
        return buffer
    }
}

/// Cuts the DATA of a gRPC response into messages, whatever way the frames split them.
struct GRPCMessageDeframer: Sendable {
    private var buffer = ByteBuffer()
    private let maximumMessageSize: Int

    init(maximumMessageSize: Int = GRPCFraming.maximumMessageSize) {
        self.maximumMessageSize = maximumMessageSize
    }

    /// Bytes received but not yet returned as a message.
    var pendingBytes: Int { buffer.readableBytes }

    mutating func append(_ data: ByteBuffer) {
        var data = data
        buffer.writeBuffer(&data)
    }

    /// The next complete message, or nil until more bytes arrive.
    mutating func next() throws(GRPCTransportError) -> [UInt8]? {
        guard let flag = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let length = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self)
        else { return nil }
        guard flag == 0 else { throw GRPCTransportError("compressed gRPC message, but none was asked for") }
        guard length <= maximumMessageSize else {
            throw GRPCTransportError("gRPC message of \(length) bytes is larger than the limit of \(maximumMessageSize)")
        }
        guard buffer.readableBytes >= 5 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        let message = buffer.readBytes(length: Int(length)) ?? []
        if buffer.readableBytes == 0 {
            buffer.clear()
        } else if buffer.readerIndex > 1 << 20 {
            buffer.discardReadBytes()
        }
        return message
    }
}
