import Foundation

// The etcd v3 messages Skiff sends and reads (etcdserverpb and mvccpb), with the
// field numbers of etcd's rpc.proto and kv.proto. Only the fields Skiff uses are
// modelled; decoding skips the rest.

/// `etcdserverpb.ResponseHeader`: the store revision a response was made at.
struct EtcdResponseHeader: ProtoDecodable, Hashable {
    var revision: Int64 = 0

    init(revision: Int64 = 0) { self.revision = revision }

    init(from reader: ProtoReader) throws(ProtoDecodingError) {
        var reader = reader
        while let field = try reader.next() {
            if field.number == 3 { revision = try field.int64 }
        }
    }
}

/// `mvccpb.KeyValue`.
struct EtcdKeyValue: ProtoDecodable, Hashable {
    var key: [UInt8] = []
    var createRevision: Int64 = 0
    var modRevision: Int64 = 0
    var version: Int64 = 0
    var value: [UInt8] = []

    init(key: [UInt8], createRevision: Int64, modRevision: Int64, version: Int64, value: [UInt8]) {
        self.key = key
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.value = value
    }

    init(from reader: ProtoReader) throws(ProtoDecodingError) {
        var reader = reader
        while let field = try reader.next() {
            switch field.number {
            case 1: key = Array(try field.bytes)
            case 2: createRevision = try field.int64
            case 3: modRevision = try field.int64
            case 4: version = try field.int64
            case 5: value = Array(try field.bytes)
            default: break
            }
        }
    }
}

/// `etcdserverpb.RangeRequest`.
struct EtcdRangeRequest: ProtoEncodable, Hashable {
    var key: [UInt8]
    /// Empty: the single key; `[0]`: every key ≥ `key`.
    var rangeEnd: [UInt8] = []
    var limit: Int64 = 0
    /// 0: the newest revision.
    var revision: Int64 = 0
    var keysOnly = false
    var countOnly = false

    func encode(to writer: inout ProtoWriter) {
        writer.bytes(1, key)
        writer.bytes(2, rangeEnd)
        writer.int64(3, limit)
        writer.int64(4, revision)
        writer.bool(8, keysOnly)
        writer.bool(9, countOnly)
    }
}

/// `etcdserverpb.RangeResponse`.
struct EtcdRangeResponse: ProtoDecodable, Hashable {
    var header = EtcdResponseHeader()
    var kvs: [EtcdKeyValue] = []
    var more = false
    var count: Int64 = 0

    init(from reader: ProtoReader) throws(ProtoDecodingError) {
        var reader = reader
        while let field = try reader.next() {
            switch field.number {
            case 1: header = try field.message()
            case 2: kvs.append(try field.message())
            case 3: more = try field.bool
            case 4: count = try field.int64
            default: break
            }
        }
    }
}

/// `etcdserverpb.PutRequest`.
struct EtcdPutRequest: ProtoEncodable, Hashable {
    var key: [UInt8]
    var value: [UInt8]
    var prevKV = false

    func encode(to writer: inout ProtoWriter) {
        writer.bytes(1, key)
        writer.bytes(2, value)
        writer.bool(4, prevKV)
    }
}

/// `etcdserverpb.PutResponse`.
struct EtcdPutResponse: ProtoDecodable, Hashable {
    var header = EtcdResponseHeader()
    var prevKV: EtcdKeyValue?

    init(from reader: ProtoReader) throws(ProtoDecodingError) {
        var reader = reader
        while let field = try reader.next() {
            switch field.number {
            case 1: header = try field.message()
            case 2: prevKV = try field.message()
            default: break
            }
        }
    }
}

/// `etcdserverpb.DeleteRangeRequest`.
struct EtcdDeleteRangeRequest: ProtoEncodable, Hashable {
    var key: [UInt8]
    var rangeEnd: [UInt8] = []
    var prevKV = false

    func encode(to writer: inout ProtoWriter) {
        writer.bytes(1, key)
        writer.bytes(2, rangeEnd)
        writer.bool(3, prevKV)
    }
}

/// `etcdserverpb.DeleteRangeResponse`.
struct EtcdDeleteRangeResponse: ProtoDecodable, Hashable {
    var header = EtcdResponseHeader()
    var deleted: Int64 = 0
    var prevKVs: [EtcdKeyValue] = []

    init(from reader: ProtoReader) throws(ProtoDecodingError) {
        var reader = reader
        while let field = try reader.next() {
            switch field.number {
            case 1: header = try field.message()
            case 2: deleted = try field.int64
            case 3: prevKVs.append(try field.message())
            default: break
            }
        }
    }
}

/// `etcdserverpb.Compare`: one guard of a transaction, on a revision of one key.
struct EtcdCompare: ProtoEncodable, Hashable {
    enum Result: Int64, Sendable { case equal = 0, greater = 1, less = 2, notEqual = 3 }
    /// Which revision of the key is compared; the raw value is the `target_union` field.
    enum Target: Sendable, Hashable {
        case version(Int64)
        case createRevision(Int64)
        case modRevision(Int64)
    }

    var key: [UInt8]
    var result: Result
    var target: Target

    func encode(to writer: inout ProtoWriter) {
        writer.int64(1, result.rawValue)
        switch target {
        case .version(let value):
            writer.int64(2, 0)
            writer.bytes(3, key)
            writer.tag(4, .varint)
            writer.varint(UInt64(bitPattern: value))
        case .createRevision(let value):
            writer.int64(2, 1)
            writer.bytes(3, key)
            writer.tag(5, .varint)
            writer.varint(UInt64(bitPattern: value))
        case .modRevision(let value):
            writer.int64(2, 2)
            writer.bytes(3, key)
            writer.tag(6, .varint)
            writer.varint(UInt64(bitPattern: value))
        }
    }
}

/// `etcdserverpb.RequestOp`: one operation of a transaction.
enum EtcdRequestOp: ProtoEncodable, Hashable {
    case range(EtcdRangeRequest)
    case put(EtcdPutRequest)
    case deleteRange(EtcdDeleteRangeRequest)

    func encode(to writer: inout ProtoWriter) {
        switch self {
        case .range(let request): writer.message(1, request)
        case .put(let request): writer.message(2, request)
        case .deleteRange(let request): writer.message(3, request)
        }
    }
}

/// `etcdserverpb.ResponseOp`: the answer to one operation of a transaction.
enum EtcdResponseOp: ProtoDecodable, Hashable {
    case range(EtcdRangeResponse)
    case put(EtcdPutResponse)
    case deleteRange(EtcdDeleteRangeResponse)
    /// A nested transaction's answer, which Skiff never asks for.
    case other

    init(from reader: ProtoReader) throws(ProtoDecodingError) {
        var reader = reader
        var op = EtcdResponseOp.other
        while let field = try reader.next() {
            switch field.number {
            case 1: op = .range(try field.message())
            case 2: op = .put(try field.message())
            case 3: op = .deleteRange(try field.message())
            default: break
            }
        }
        self = op
    }
}

/// `etcdserverpb.TxnRequest`: if every compare holds, `success`, else `failure`.
struct EtcdTxnRequest: ProtoEncodable, Hashable {
    var compare: [EtcdCompare] = []
    var success: [EtcdRequestOp] = []
    var failure: [EtcdRequestOp] = []

    func encode(to writer: inout ProtoWriter) {
        for item in compare { writer.message(1, item) }
        for op in success { writer.message(2, op) }
        for op in failure { writer.message(3, op) }
    }
}

/// `etcdserverpb.TxnResponse`.
struct EtcdTxnResponse: ProtoDecodable, Hashable {
    var header = EtcdResponseHeader()
    var succeeded = false
    var responses: [EtcdResponseOp] = []

    init(from reader: ProtoReader) throws(ProtoDecodingError) {
        var reader = reader
        while let field = try reader.next() {
            switch field.number {
            case 1: header = try field.message()
            case 2: succeeded = try field.bool
            case 3: responses.append(try field.message())
            default: break
            }
        }
    }
}

/// `etcdserverpb.CompactionRequest`.
struct EtcdCompactionRequest: ProtoEncodable, Hashable {
    var revision: Int64
    var physical = false

    func encode(to writer: inout ProtoWriter) {
        writer.int64(1, revision)
        writer.bool(2, physical)
    }
}

/// `etcdserverpb.CompactionResponse`.
struct EtcdCompactionResponse: ProtoDecodable, Hashable {
    var header = EtcdResponseHeader()

    init(from reader: ProtoReader) throws(ProtoDecodingError) {
        var reader = reader
        while let field = try reader.next() {
            if field.number == 1 { header = try field.message() }
        }
    }
}
