/// Decompresses the header blocks of one direction of a SPDY/3 connection: one
/// zlib stream (with the SPDY dictionary preset) that the sender flushes at the end
/// of every block, so each block is whole DEFLATE blocks ending on a byte boundary,
/// and later blocks may refer back into earlier ones (RFC 1950, RFC 1951).
struct HeaderInflater {
    private var history: [UInt8] = SPDYHeaderDictionary.bytes
    private var sawStreamHeader = false
    private var finished = false
    private static let window = 32 << 10

    mutating func inflate(_ block: [UInt8]) throws(SPDYError) -> [UInt8] {
        var reader = BitReader(block)
        if !sawStreamHeader {
            let method = try reader.byte()
            let flags = try reader.byte()
            guard method & 0x0F == 8, (UInt16(method) << 8 | UInt16(flags)) % 31 == 0 else {
                throw .compression("not a zlib stream")
            }
            if flags & 0x20 != 0 {
                var id: UInt32 = 0
                for _ in 0..<4 { id = id << 8 | UInt32(try reader.byte()) }
                guard id == SPDYHeaderDictionary.adler32 else { throw .compression("the header block uses another dictionary") }
            }
            sawStreamHeader = true
        }
        let start = history.count
        while !reader.isAtEnd && !finished {
            finished = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0: try storedBlock(&reader)
            case 1: try huffmanBlock(&reader, literals: Self.fixedLiterals, distances: Self.fixedDistances)
            case 2:
                let (literals, distances) = try Self.dynamicTables(&reader)
                try huffmanBlock(&reader, literals: literals, distances: distances)
            default: throw .compression("reserved block type")
            }
        }
        let output = Array(history[start...])
        if history.count > 2 * Self.window { history.removeFirst(history.count - Self.window) }
        return output
    }

    private mutating func storedBlock(_ reader: inout BitReader) throws(SPDYError) {
        reader.alignToByte()
        let length = Int(try reader.byte()) | Int(try reader.byte()) << 8
        let complement = Int(try reader.byte()) | Int(try reader.byte()) << 8
        guard length == ~complement & 0xFFFF else { throw .compression("bad stored block length") }
        for _ in 0..<length { history.append(try reader.byte()) }
    }

    private mutating func huffmanBlock(_ reader: inout BitReader, literals: HuffmanTable, distances: HuffmanTable)
        throws(SPDYError)
    {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                history.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < Self.lengthBase.count else { throw .compression("bad length symbol") }
            let length = Self.lengthBase[lengthIndex] + Int(try reader.bits(Self.lengthExtra[lengthIndex]))
            let distanceSymbol = try distances.decode(&reader)
            guard distanceSymbol < Self.distanceBase.count else { throw .compression("bad distance symbol") }
            let distance = Self.distanceBase[distanceSymbol] + Int(try reader.bits(Self.distanceExtra[distanceSymbol]))
            guard distance <= history.count else { throw .compression("distance too far back") }
            let from = history.count - distance
            for offset in 0..<length { history.append(history[from + offset]) }
        }
    }

    private static func dynamicTables(_ reader: inout BitReader) throws(SPDYError) -> (HuffmanTable, HuffmanTable) {
        let literalCount = Int(try reader.bits(5)) + 257
        let distanceCount = Int(try reader.bits(5)) + 1
        let codeLengthCount = Int(try reader.bits(4)) + 4
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengthLengths = [Int](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[order[index]] = Int(try reader.bits(3)) }
        let codeLengths = HuffmanTable(lengths: codeLengthLengths)
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
            let symbol = try codeLengths.decode(&reader)
            switch symbol {
            case 0...15:
                lengths.append(symbol)
            case 16:
                guard let last = lengths.last else { throw .compression("repeat with nothing before") }
                lengths += repeatElement(last, count: 3 + Int(try reader.bits(2)))
            case 17:
                lengths += repeatElement(0, count: 3 + Int(try reader.bits(3)))
            default:
                lengths += repeatElement(0, count: 11 + Int(try reader.bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else { throw .compression("too many code lengths") }
        return (HuffmanTable(lengths: Array(lengths[0..<literalCount])), HuffmanTable(lengths: Array(lengths[literalCount...])))
    }

    private static let fixedLiterals = HuffmanTable(
        lengths: Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112) + Array(repeating: 7, count: 24)
            + Array(repeating: 8, count: 8))
    private static let fixedDistances = HuffmanTable(lengths: Array(repeating: 5, count: 30))

    private static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
}

/// A canonical Huffman code (RFC 1951 §3.2.2), decoded a bit at a time: for each
/// code length, codes of that length are consecutive numbers after the shorter ones.
private struct HuffmanTable: Sendable {
    /// How many symbols have each code length (index 0 unused).
    private var counts = [Int](repeating: 0, count: 16)
    /// Symbols ordered by code length, then by value.
    private var symbols: [Int] = []

    init(lengths: [Int]) {
        for length in lengths { counts[length] += 1 }
        counts[0] = 0
        for length in 1...15 {
            for (symbol, symbolLength) in lengths.enumerated() where symbolLength == length { symbols.append(symbol) }
        }
    }

    func decode(_ reader: inout BitReader) throws(SPDYError) -> Int {
        var code = 0
        var first = 0
        var index = 0
        for length in 1...15 {
            code |= Int(try reader.bits(1))
            let count = counts[length]
            if code >= first && code - first < count { return symbols[index + code - first] }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw .compression("bad Huffman code")
    }
}

/// DEFLATE's bit order: least significant bit of each byte first.
private struct BitReader {
    private let bytes: [UInt8]
    private var position = 0
    private var bitOffset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func bits(_ count: Int) throws(SPDYError) -> UInt32 {
        var value: UInt32 = 0
        for shift in 0..<count {
            guard position < bytes.count else { throw .compression("the header block ends early") }
            value |= UInt32(bytes[position] >> bitOffset & 1) << shift
            bitOffset += 1
            if bitOffset == 8 {
                bitOffset = 0
                position += 1
            }
        }
        return value
    }

    mutating func alignToByte() {
        if bitOffset != 0 {
            bitOffset = 0
            position += 1
        }
    }

    mutating func byte() throws(SPDYError) -> UInt8 {
        alignToByte()
        guard position < bytes.count else { throw .compression("the header block ends early") }
        defer { position += 1 }
        return bytes[position]
    }
}
