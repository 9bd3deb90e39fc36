import Foundation
import NIOCore
import Testing
@testable import SkiffStore

/// The hand-written protobuf and gRPC framing for etcd, checked against bytes
/// worked out by hand from etcd's rpc.proto and kv.proto (no etcd needed).
@Suite struct EtcdWireTests {
    @Test func varintsAndScalars() throws {
        var writer = ProtoWriter()
        writer.int64(1, 1)
        writer.int64(2, 300)
        writer.int64(3, 0)  // defaults are left out
        writer.bool(4, false)
        writer.bool(5, true)
        #expect(writer.bytes == [0x08, 0x01, 0x10, 0xAC, 0x02, 0x28, 0x01])

        var negative = ProtoWriter()
        negative.int64(1, -1)
        #expect(negative.bytes == [0x08] + Array(repeating: 0xFF, count: 9) + [0x01])
        var reader = ProtoReader(negative.bytes)
        #expect(try reader.next()?.int64 == -1)
    }

    @Test func rangeRequest() {
        let request = EtcdRangeRequest(
            key: Array("/a".utf8), rangeEnd: Array("/b".utf8), limit: 2, revision: 5, countOnly: true)
        #expect(request.encoded() == [
            0x0A, 0x02, 0x2F, 0x61,  // 1: key
            0x12, 0x02, 0x2F, 0x62,  // 2: range_end
            0x18, 0x02,  // 3: limit
            0x20, 0x05,  // 4: revision
            0x48, 0x01,  // 9: count_only
        ])
    }

    @Test func createTransaction() {
        let key = Array("/k".utf8)
        let txn = EtcdTxnRequest(
            compare: [EtcdCompare(key: key, result: .equal, target: .createRevision(0))],
            success: [.put(EtcdPutRequest(key: key, value: [0x76]))])
        #expect(txn.encoded() == [
            // 1: compare { target CREATE, key, create_revision 0 (a oneof: written though zero) }
            0x0A, 0x08, 0x10, 0x01, 0x1A, 0x02, 0x2F, 0x6B, 0x28, 0x00,
            // 2: success { 2: request_put { 1: key, 2: value } }
            0x12, 0x09, 0x12, 0x07, 0x0A, 0x02, 0x2F, 0x6B, 0x12, 0x01, 0x76,
        ])
    }

    @Test func compareAndSwapGuards() {
        let key = Array("/k".utf8)
        let guards = EtcdStore.exists(key, modRevision: 7).map { $0.encoded() }
        // result EQUAL (0) is the default; target MOD = 2; 6: mod_revision.
        #expect(guards[0] == [0x10, 0x02, 0x1A, 0x02, 0x2F, 0x6B, 0x30, 0x07])
        // result GREATER = 1; target CREATE = 1; 5: create_revision 0.
        #expect(guards[1] == [0x08, 0x01, 0x10, 0x01, 0x1A, 0x02, 0x2F, 0x6B, 0x28, 0x00])
    }

    @Test func watchCreateRequest() {
        let request = EtcdWatchCreateRequest(key: [0x2F], rangeEnd: [0x30], startRevision: 9, prevKV: true)
        // WatchRequest { 1: create_request { 1: key, 2: range_end, 3: start_revision, 6: prev_kv } }
        #expect(request.encoded() == [0x0A, 0x0A, 0x0A, 0x01, 0x2F, 0x12, 0x01, 0x30, 0x18, 0x09, 0x30, 0x01])
    }

    /// A `mvccpb.KeyValue` as etcd writes it, with a field Skiff ignores (lease).
    static func keyValue(_ key: String, _ value: String, create: Int64, mod: Int64, version: Int64 = 1) -> [UInt8] {
        var writer = ProtoWriter()
        writer.bytes(1, Array(key.utf8))
        writer.int64(2, create)
        writer.int64(3, mod)
        writer.int64(4, version)
        writer.bytes(5, Array(value.utf8))
        writer.int64(6, 42)
        return writer.bytes
    }

    static func header(revision: Int64) -> [UInt8] {
        var writer = ProtoWriter()
        writer.tag(1, .varint)  // cluster_id, a uint64 with the high bit set
        writer.varint(0xF000_0000_0000_0001)
        writer.int64(3, revision)
        writer.int64(4, 2)  // raft_term
        return writer.bytes
    }

    @Test func rangeResponseSkipsUnknownFields() throws {
        var writer = ProtoWriter()
        writer.append(message: 1, Self.header(revision: 12))
        writer.append(message: 2, Self.keyValue("/a", "one", create: 2, mod: 5, version: 3))
        writer.append(message: 2, Self.keyValue("/b", "", create: 4, mod: 4))
        writer.bool(3, true)
        writer.int64(4, 7)
        // Unknown fields of every wire type, as a newer etcd might add.
        writer.tag(20, .fixed64)
        writer.append(raw: [1, 2, 3, 4, 5, 6, 7, 8])
        writer.tag(21, .fixed32)
        writer.append(raw: [1, 2, 3, 4])
        writer.bytes(22, [9, 9])
        let response = try EtcdRangeResponse(decoding: writer.bytes)
        #expect(response.header.revision == 12 && response.more && response.count == 7)
        #expect(response.kvs.map { KeyValue($0) } == [
            KeyValue(key: "/a", value: bytes("one"), createRevision: 2, modRevision: 5),
            KeyValue(key: "/b", value: Data(), createRevision: 4, modRevision: 4),
        ])
        #expect(response.kvs[0].version == 3)
    }

    @Test func txnResponseWithFailureRead() throws {
        var range = ProtoWriter()
        range.append(message: 2, Self.keyValue("/k", "v", create: 2, mod: 3))
        var op = ProtoWriter()
        op.append(message: 1, range.bytes)
        var writer = ProtoWriter()
        writer.append(message: 1, Self.header(revision: 9))
        writer.append(message: 3, op.bytes)
        let response = try EtcdTxnResponse(decoding: writer.bytes)
        #expect(!response.succeeded && response.header.revision == 9)
        let refusal = EtcdStore.refusal(response, "/k", expected: 2)
        #expect(refusal.code == .conflict && refusal.current?.modRevision == 3)
        let empty = try EtcdTxnResponse(decoding: [0x0A, 0x02, 0x18, 0x09])
        #expect(EtcdStore.refusal(empty, "/k", expected: 2).code == .notFound)
    }

    @Test func watchResponseEvents() throws {
        var put = ProtoWriter()
        put.append(message: 2, Self.keyValue("/e", "two", create: 2, mod: 3, version: 2))
        put.append(message: 3, Self.keyValue("/e", "one", create: 2, mod: 2))
        var delete = ProtoWriter()
        delete.int64(1, 1)
        var tombstone = ProtoWriter()
        tombstone.bytes(1, Array("/e".utf8))
        tombstone.int64(3, 4)
        delete.append(message: 2, tombstone.bytes)
        delete.append(message: 3, Self.keyValue("/e", "two", create: 2, mod: 3, version: 2))
        var writer = ProtoWriter()
        writer.append(message: 1, Self.header(revision: 4))
        writer.int64(2, 0)
        writer.append(message: 11, put.bytes)
        writer.append(message: 11, delete.bytes)
        let response = try EtcdWatchResponse(decoding: writer.bytes)
        #expect(!response.created && !response.canceled && response.compactRevision == 0)
        let events = response.events.map(WatchEvent.init)
        #expect(events.count == 2)
        #expect(events[0].type == .put && !events[0].isCreate && text(events[0].prevKV?.value) == "one")
        // A delete carries the deleted value and create revision, with the delete's revision.
        #expect(events[1].type == .delete)
        #expect(events[1].kv == KeyValue(key: "/e", value: bytes("two"), createRevision: 2, modRevision: 4))
        #expect(events[1].prevKV?.modRevision == 3)
    }

    @Test func compactedWatchResponse() throws {
        var writer = ProtoWriter()
        writer.append(message: 1, Self.header(revision: 50))
        writer.bool(3, true)
        writer.bool(4, true)
        writer.int64(5, 41)
        writer.bytes(6, Array("mvcc: required revision has been compacted".utf8))
        let response = try EtcdWatchResponse(decoding: writer.bytes)
        #expect(response.created && response.canceled && response.compactRevision == 41)
        #expect(response.cancelReason.contains("compacted"))
        #expect(EtcdStore.storeCompactRevision(etcd: 41) == 42 && EtcdStore.storeCompactRevision(etcd: 0) == 0)
    }

    @Test func malformedMessagesAreRefused() {
        #expect(throws: ProtoDecodingError.self) { try EtcdRangeResponse(decoding: [0x08, 0x80]) }  // truncated varint
        #expect(throws: ProtoDecodingError.self) { try EtcdRangeResponse(decoding: [0x12, 0x05, 0x00]) }  // short field
        #expect(throws: ProtoDecodingError.self) { try EtcdRangeResponse(decoding: [0x0B]) }  // group wire type
        #expect(throws: ProtoDecodingError.self) { try EtcdRangeResponse(decoding: [0x10, 0x01]) }  // kvs is not a varint
        #expect(throws: ProtoDecodingError.self) { try EtcdRangeResponse(decoding: [0x08] + Array(repeating: 0xFF, count: 11)) }
    }

    @Test func grpcFramesSplitAndJoined() throws {
        let first = GRPCFraming.frame([1, 2, 3])
        #expect(Array(first.readableBytesView) == [0, 0, 0, 0, 3, 1, 2, 3])
        var joined = first
        var second = GRPCFraming.frame([])
        joined.writeBuffer(&second)
        var deframer = GRPCMessageDeframer()
        // Byte by byte: no message until one is complete.
        var messages: [[UInt8]] = []
        for byte in joined.readableBytesView {
            var one = ByteBuffer()
            one.writeInteger(byte)
            deframer.append(one)
            while let message = try deframer.next() { messages.append(message) }
        }
        #expect(messages == [[1, 2, 3], []])
        #expect(deframer.pendingBytes == 0)

        var compressed = ByteBuffer(bytes: [1, 0, 0, 0, 1, 7])
        var refusing = GRPCMessageDeframer()
        refusing.append(compressed)
        #expect(throws: GRPCTransportError.self) { try refusing.next() }
        compressed = ByteBuffer(bytes: [0, 0x7F, 0xFF, 0xFF, 0xFF])
        var bounded = GRPCMessageDeframer(maximumMessageSize: 1024)
        bounded.append(compressed)
        #expect(throws: GRPCTransportError.self) { try bounded.next() }
    }

    @Test func grpcStatusFromTrailers() {
        let status = GRPCStatus(trailers: [
            ("grpc-status", "11"), ("grpc-message", "etcdserver: mvcc: required revision has been compacted"),
        ])
        #expect(status?.code == .outOfRange && status?.isCompacted == true)
        let encoded = GRPCStatus(trailers: [("grpc-status", "3"), ("grpc-message", "etcdserver: request is too large%21")])
        #expect(encoded?.message == "etcdserver: request is too large!")
        #expect((StoreError.etcd(encoded!, "put /big") as? StoreError)?.code == .requestTooLarge)
        #expect(GRPCStatus(trailers: [("content-type", "application/grpc")]) == nil)
        #expect((StoreError.etcd(GRPCTransportError("gone"), "get /a") as? StoreError)?.code == .unavailable)
    }

    @Test func keyRangesAsEtcdRanges() {
        func bounds(_ range: KeyRange) -> [String] {
            let (key, end) = range.etcdBounds
            return [key, end].map { $0.map { $0 == 0 ? "\\0" : String(UnicodeScalar($0)) }.joined() }
        }
        #expect(bounds(.key("/a")) == ["/a", ""])
        #expect(bounds(.prefix("/registry/pods/")) == ["/registry/pods/", "/registry/pods0"])
        #expect(bounds(.all) == ["\\0", "\\0"])
        #expect(bounds(.prefix("/p/").after("/p/x")) == ["/p/x\\0", "/p0"])
        #expect(bounds(KeyRange(from: "/b", to: "/a")) == ["ÿÿ", "ÿ\u{01}"])
        #expect(bounds(KeyRange(from: "", to: "")) == ["ÿÿ", "ÿ\u{01}"])
    }

    @Test func endpointLists() throws {
        let endpoints = try EtcdEndpoint.list("http://127.0.0.1:2379, https://etcd.example:2380,http://[::1]")
        #expect(endpoints.map(\.description) == ["http://127.0.0.1:2379", "https://etcd.example:2380", "http://[::1]:2379"])
        #expect(endpoints[0].isIPAddress && !endpoints[1].isIPAddress && endpoints[2].isIPAddress)
        #expect(endpoints[2].authority == "[::1]:2379")
        for bad in ["127.0.0.1:2379", "ftp://x", "http://", "http://h:99999", "http://u:p@h", "http://h/path", ""] {
            #expect(throws: StoreError.self, "\(bad)") { try EtcdEndpoint.list(bad) }
        }
    }
}

extension ProtoWriter {
    /// Writes `bytes` as a nested message field (for building responses in tests).
    mutating func append(message field: Int, _ bytes: [UInt8]) {
        tag(field, .lengthDelimited)
        varint(UInt64(bytes.count))
        append(raw: bytes)
    }
}
