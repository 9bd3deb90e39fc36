import Foundation

/// `etcdserverpb.WatchRequest` with a `create_request`: Skiff opens one watch
/// per HTTP/2 stream and ends it by closing the stream, so it never sends the
/// other request kinds.
struct EtcdWatchCreateRequest: ProtoEncodable, Hashable {
    var key: [UInt8]
    var rangeEnd: [UInt8] = []
    /// Inclusive; 0 means "from now".
    var startRevision: Int64
    var prevKV = false

    /// The `WatchCreateRequest` message itself.
    private struct Body: ProtoEncodable {
        let request: EtcdWatchCreateRequest
        func encode(to writer: inout ProtoWriter) {
            writer.bytes(1, request.key)
            writer.bytes(2, request.rangeEnd)
            writer.int64(3, request.startRevision)
            writer.bool(6, request.prevKV)
        }
    }

    /// Encodes the enclosing `WatchRequest` (field 1: `create_request`).
    func encode(to writer: inout ProtoWriter) {
        writer.message(1, Body(request: self))
    }
}

/// `mvccpb.Event`.
struct EtcdEvent: ProtoDecodable, Hashable {
    enum Kind: Int64, Sendable { case put = 0, delete = 1 }

    var type = Kind.put
    var kv = EtcdKeyValue(key: [], createRevision: 0, modRevision: 0, version: 0, value: [])
    var prevKV: EtcdKeyValue?

    init(from reader: ProtoReader) throws(ProtoDecodingError) {
        var reader = reader
        while let field = try reader.next() {
            switch field.number {
            case 1:
                let raw = try field.int64
                guard let kind = Kind(rawValue: raw) else { throw ProtoDecodingError("unknown event type \(raw)") }
                type = kind
            case 2: kv = try field.message()
            case 3: prevKV = try field.message()
            default: break
            }
        }
    }
}

/// `etcdserverpb.WatchResponse`.
struct EtcdWatchResponse: ProtoDecodable, Hashable {
    var header = EtcdResponseHeader()
    var watchID: Int64 = 0
    var created = false
    var canceled = false
    /// Set when the start revision was compacted: etcd's compact revision.
    var compactRevision: Int64 = 0
    var cancelReason = ""
    var fragment = false
    var events: [EtcdEvent] = []

    init(from reader: ProtoReader) throws(ProtoDecodingError) {
        var reader = reader
        while let field = try reader.next() {
            switch field.number {
            case 1: header = try field.message()
            case 2: watchID = try field.int64
            case 3: created = try field.bool
            case 4: canceled = try field.bool
            case 5: compactRevision = try field.int64
            case 6: cancelReason = try field.string
            case 7: fragment = try field.bool
            case 11: events.append(try field.message())
            default: break
            }
        }
    }
}
