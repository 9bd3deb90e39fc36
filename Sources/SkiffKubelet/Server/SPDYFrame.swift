/// The SPDY/3 frames a port-forward needs (draft 3, §2.2 and §2.6): a control bit,
/// then a version and type (control frames) or a stream id (data frames), flags,
/// and a 24-bit length.
enum SPDYFrame: Sendable, Equatable {
    case synStream(streamID: UInt32, flags: UInt8, headers: [(String, String)])
    case synReply(streamID: UInt32, flags: UInt8, headers: [(String, String)])
    case rstStream(streamID: UInt32, status: UInt32)
    case ping(id: UInt32)
    case goAway(lastGoodStreamID: UInt32)
    case data(streamID: UInt32, flags: UInt8, payload: [UInt8])
    /// SETTINGS, WINDOW_UPDATE, HEADERS and the rest: read and ignored, as spdystream does.
    case other(type: UInt16)

    static let finFlag: UInt8 = 0x01
    static let version: UInt16 = 3

    static func == (a: SPDYFrame, b: SPDYFrame) -> Bool {
        switch (a, b) {
        case (.synStream(let i, let f, let h), .synStream(let j, let g, let k)),
            (.synReply(let i, let f, let h), .synReply(let j, let g, let k)):
            return i == j && f == g && h.elementsEqual(k, by: { $0 == $1 })
        case (.rstStream(let i, let s), .rstStream(let j, let t)): return i == j && s == t
        case (.ping(let i), .ping(let j)): return i == j
        case (.goAway(let i), .goAway(let j)): return i == j
        case (.data(let i, let f, let p), .data(let j, let g, let q)): return i == j && f == g && p == q
        case (.other(let t), .other(let u)): return t == u
        default: return false
        }
    }
}

/// A SPDY connection's failure: it cannot go on.
enum SPDYError: Error, Equatable, CustomStringConvertible {
    case compression(String)
    case malformed(String)

    var description: String {
        switch self {
        case .compression(let reason): "spdy header block: \(reason)"
        case .malformed(let reason): "spdy frame: \(reason)"
        }
    }
}

/// Cuts a byte stream (WebSocket messages in any size) into frames, and writes
/// frames. Header blocks in: inflated with the connection's zlib stream. Header
/// blocks out: a zlib stream of stored (uncompressed) blocks, which any inflater
/// reads and which needs no dictionary.
struct SPDYFramer {
    private var buffered: [UInt8] = []
    private var inflater = HeaderInflater()
    private var wroteStreamHeader = false

    mutating func append(_ bytes: [UInt8]) {
        buffered += bytes
    }

    /// The next whole frame, or nil until more bytes come.
    mutating func nextFrame() throws(SPDYError) -> SPDYFrame? {
        guard buffered.count >= 8 else { return nil }
        let length = Int(buffered[5]) << 16 | Int(buffered[6]) << 8 | Int(buffered[7])
        guard buffered.count >= 8 + length else { return nil }
        let head = Array(buffered[0..<8])
        let body = Array(buffered[8..<(8 + length)])
        buffered.removeFirst(8 + length)
        let flags = head[4]
        if head[0] & 0x80 == 0 {
            return .data(streamID: Self.word(head, 0) & 0x7FFF_FFFF, flags: flags, payload: body)
        }
        let version = UInt16(head[0] & 0x7F) << 8 | UInt16(head[1])
        guard version == SPDYFrame.version else { throw .malformed("version \(version)") }
        let type = UInt16(head[2]) << 8 | UInt16(head[3])
        switch type {
        case 1:
            guard body.count >= 10 else { throw .malformed("short SYN_STREAM") }
            let headers = try Self.headerPairs(try inflater.inflate(Array(body[10...])))
            return .synStream(streamID: Self.word(body, 0) & 0x7FFF_FFFF, flags: flags, headers: headers)
        case 2:
            guard body.count >= 4 else { throw .malformed("short SYN_REPLY") }
            let headers = try Self.headerPairs(try inflater.inflate(Array(body[4...])))
            return .synReply(streamID: Self.word(body, 0) & 0x7FFF_FFFF, flags: flags, headers: headers)
        case 3:
            guard body.count >= 8 else { throw .malformed("short RST_STREAM") }
            return .rstStream(streamID: Self.word(body, 0) & 0x7FFF_FFFF, status: Self.word(body, 4))
        case 6:
            guard body.count >= 4 else { throw .malformed("short PING") }
            return .ping(id: Self.word(body, 0))
        case 7:
            guard body.count >= 4 else { throw .malformed("short GOAWAY") }
            return .goAway(lastGoodStreamID: Self.word(body, 0) & 0x7FFF_FFFF)
        case 8:
            // HEADERS share the compression stream: inflate to keep it in step.
            if body.count > 4 { _ = try inflater.inflate(Array(body[4...])) }
            return .other(type: type)
        default:
            return .other(type: type)
        }
    }

    /// The bytes of `frame`.
    mutating func encode(_ frame: SPDYFrame) -> [UInt8] {
        switch frame {
        case .synStream(let id, let flags, let headers):
            return control(type: 1, flags: flags, Self.bytes(id) + [0, 0, 0, 0, 0, 0] + headerBlock(headers))
        case .synReply(let id, let flags, let headers):
            return control(type: 2, flags: flags, Self.bytes(id) + headerBlock(headers))
        case .rstStream(let id, let status):
            return control(type: 3, flags: 0, Self.bytes(id) + Self.bytes(status))
        case .ping(let id):
            return control(type: 6, flags: 0, Self.bytes(id))
        case .goAway(let last):
            return control(type: 7, flags: 0, Self.bytes(last) + Self.bytes(0))
        case .data(let id, let flags, let payload):
            return Self.bytes(id & 0x7FFF_FFFF) + [flags] + Self.length(payload.count) + payload
        case .other:
            return []
        }
    }

    private func control(type: UInt16, flags: UInt8, _ body: [UInt8]) -> [UInt8] {
        [0x80, UInt8(SPDYFrame.version), UInt8(type >> 8), UInt8(type & 0xFF), flags] + Self.length(body.count) + body
    }

    /// Pairs as SPDY/3 lays them out (32-bit count and lengths), in one stored block.
    private mutating func headerBlock(_ headers: [(String, String)]) -> [UInt8] {
        var plain = Self.bytes(UInt32(headers.count))
        for (name, value) in headers {
            plain += Self.bytes(UInt32(name.utf8.count)) + Array(name.utf8)
            plain += Self.bytes(UInt32(value.utf8.count)) + Array(value.utf8)
        }
        var block: [UInt8] = []
        if !wroteStreamHeader {
            // zlib, deflate, 32K window, no preset dictionary, checksum-valid flags.
            block = [0x78, 0x01]
            wroteStreamHeader = true
        }
        let length = UInt16(plain.count)
        block += [0x00, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
        // An empty stored block, as zlib's sync flush ends one: Go's inflater hands out
        // what it has only at a block boundary it can see, and must not read past the frame.
        return block + plain + [0x00, 0x00, 0x00, 0xFF, 0xFF]
    }

    private static func headerPairs(_ block: [UInt8]) throws(SPDYError) -> [(String, String)] {
        var offset = 0
        func word() throws(SPDYError) -> Int {
            guard offset + 4 <= block.count else { throw .malformed("short header block") }
            defer { offset += 4 }
            return Int(Self.word(block, offset))
        }
        func text(_ count: Int) throws(SPDYError) -> String {
            guard count >= 0, offset + count <= block.count else { throw .malformed("short header block") }
            defer { offset += count }
            return String(decoding: block[offset..<(offset + count)], as: UTF8.self)
        }
        var pairs: [(String, String)] = []
        for _ in 0..<(try word()) {
            let name = try text(try word())
            // Several values of one name are joined with NUL: the first is all a port-forward needs.
            let value = try text(try word()).split(separator: "\0", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            pairs.append((name, value))
        }
        return pairs
    }

    private static func word(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    private static func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func length(_ count: Int) -> [UInt8] {
        [UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
    }
}
