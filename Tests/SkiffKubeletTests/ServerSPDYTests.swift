import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import SkiffKubelet
import Testing

/// kubectl's SPDY port-forward tunnel without root or kubectl: frames as Go's
/// framer writes them (made with zlib at level 9, the SPDY dictionary and a sync
/// flush per header block), and a session to a listener on this host's loopback.
@Suite("Kubelet server SPDY tunnel", .timeLimit(.minutes(1)))
struct ServerSPDYTests {
    /// SYN_STREAM 1 (`streamtype: error`, `port: 8080`, `requestid: 0`), then SYN_STREAM 3
    /// (`streamtype: data`, same port and request), the second block compressed against the first.
    static let twoSynStreams: [UInt8] = [
        128, 3, 0, 1, 0, 0, 0, 61, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 120, 249, 227, 198, 167, 194, 2, 37, 58, 112, 58, 43,
        41, 74, 77, 204, 133, 22, 37, 172, 169, 160, 128, 134, 20, 203, 69, 224, 28, 96, 97, 96, 97, 0, 164, 57, 139,
        32, 209, 152, 9, 74, 222, 140, 6, 0, 0, 0, 0, 255, 255, 128, 3, 0, 1, 0, 0, 0, 24, 0, 0, 0, 3, 0, 0, 0, 0, 0,
        0, 194, 170, 25, 84, 14, 37, 18, 214, 11, 0, 0, 0, 255, 255,
    ]

    @Test func theDictionaryIsTheSpecs() {
        #expect(SPDYHeaderDictionary.bytes.count == 1423)
        // The dictionary id Go's and zlib's compressors write into the stream header.
        #expect(SPDYHeaderDictionary.adler32 == 0xE3C6_A7C2)
    }

    @Test func compressedHeaderBlocksInflateAcrossFramesAndMessageBoundaries() throws {
        var framer = SPDYFramer()
        var frames: [SPDYFrame] = []
        // One byte at a time: WebSocket messages need not follow frame boundaries.
        for byte in Self.twoSynStreams {
            framer.append([byte])
            while let frame = try framer.nextFrame() { frames.append(frame) }
        }
        #expect(
            frames == [
                .synStream(streamID: 1, flags: 0, headers: [("streamtype", "error"), ("port", "8080"), ("requestid", "0")]),
                .synStream(streamID: 3, flags: 0, headers: [("streamtype", "data"), ("port", "8080"), ("requestid", "0")]),
            ])
    }

    @Test func writtenFramesReadBack() throws {
        var writer = SPDYFramer()
        var reader = SPDYFramer()
        let sent: [SPDYFrame] = [
            .synReply(streamID: 1, flags: 0, headers: []),
            .synReply(streamID: 3, flags: 0, headers: [("a", "b")]),
            .data(streamID: 3, flags: SPDYFrame.finFlag, payload: [1, 2, 3]),
            .ping(id: 7),
            .rstStream(streamID: 3, status: 5),
        ]
        for frame in sent { reader.append(writer.encode(frame)) }
        var received: [SPDYFrame] = []
        while let frame = try reader.nextFrame() { received.append(frame) }
        #expect(received == sent)
        // A stream that is no zlib stream is refused, not guessed at.
        var broken = SPDYFramer()
        broken.append([128, 3, 0, 2, 0, 0, 0, 6, 0, 0, 0, 1, 0x12, 0x34])
        #expect(throws: SPDYError.self) { try broken.nextFrame() }
    }

    @Test func aTunnelSessionForwardsToTheHostsLoopback() async throws {
        let listener = try EchoListener()
        let fixture = try LogFixture()
        let pod = KubeletPodEntry(
            namespace: "default", name: "web", uid: "uid-web", containerNames: ["app"], network: .host)
        try await withKubelet(StaticDirectory([pod]), runtime: fixture.runtime) { port in
            let socket = try await TestWebSocket.open(
                port: port, "/portForward/default/web", protocols: ["SPDY/3.1+portforward.k8s.io"])
            #expect(socket.subprotocol == "spdy/3.1+portforward.k8s.io")
            var framer = SPDYFramer()
            let headers = { (type: String) in [("streamtype", type), ("port", "\(listener.port)"), ("requestid", "0")] }
            try await socket.send(framer.encode(.synStream(streamID: 1, flags: 0, headers: headers("error"))))
            try await socket.send(framer.encode(.data(streamID: 1, flags: SPDYFrame.finFlag, payload: [])))
            try await socket.send(framer.encode(.synStream(streamID: 3, flags: 0, headers: headers("data"))))
            try await socket.send(framer.encode(.data(streamID: 3, flags: SPDYFrame.finFlag, payload: Array("echo me".utf8))))
            try await socket.send(framer.encode(.ping(id: 9)))

            var reader = SPDYFramer()
            var echoed: [UInt8] = []
            var replies: Set<UInt32> = []
            var finished: Set<UInt32> = []
            var pinged = false
            while finished != [1, 3] || !pinged {
                guard let frame = try await socket.receive(), frame.opcode == 0x2 else { break }
                reader.append(frame.payload)
                while let spdy = try reader.nextFrame() {
                    switch spdy {
                    case .synReply(let id, _, _): replies.insert(id)
                    case .data(3, let flags, let payload):
                        echoed += payload
                        if flags & SPDYFrame.finFlag != 0 { finished.insert(3) }
                    case .data(1, let flags, let payload):
                        #expect(payload.isEmpty, "\(String(decoding: payload, as: UTF8.self))")
                        if flags & SPDYFrame.finFlag != 0 { finished.insert(1) }
                    case .ping(9): pinged = true
                    default: continue
                    }
                }
            }
            #expect(replies == [1, 3])
            #expect(String(decoding: echoed, as: UTF8.self) == "echo me")
            #expect(pinged)
            try await socket.sendClose()
        }
    }
}

/// A TCP listener on 127.0.0.1 that answers one connection with what it read, once the client is done.
final class EchoListener: @unchecked Sendable {
    private let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw LoopbackError.system("listen: \(errno)") }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(client, &buffer, buffer.count, 0)
                if n <= 0 { break }
                received += buffer[0..<n]
            }
            _ = received.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(client)
        }
    }

    deinit { close(fd) }
}
