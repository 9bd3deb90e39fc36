import Foundation
import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// exec, attach and port-forward relayed over WebSocket to a fake kubelet.
@Suite("Kubelet proxy exec", .serialized, .timeLimit(.minutes(2)))
struct KubeletProxyExecTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let status = Array(#"{"metadata":{},"status":"Success"}"#.utf8)

    static func upgrade(_ target: String, protocols: String) -> [UInt8] {
        Array(
            ("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Protocol: \(protocols)\r\n\r\n").utf8)
    }

    /// Runs the body against an API server on loopback whose pods run on a fake kubelet.
    func withCluster(
        _ body: (FakeKubelet, Int) async throws -> Void,
        pods: (KubeletProxyFixture) async throws -> Void = { _ in }
    ) async throws {
        let kubelet = try await FakeKubelet()
        do {
            let api = try await KubeletProxyFixture(kubeletPort: kubelet.port)
            try await pods(api)
            try await api.withHTTP { port in try await body(kubelet, port) }
        } catch {
            await kubelet.stop()
            throw error
        }
        await kubelet.stop()
    }

    /// Sends the upgrade and returns the 101's head, lowercased.
    func open(_ connection: inout RawConnection, _ target: String, protocols: String) async throws -> String {
        try await connection.send(Self.upgrade(target, protocols: protocols))
        let head = try #require(try await connection.read(through: [13, 10, 13, 10]))
        return String(decoding: head, as: UTF8.self).lowercased()
    }

    @Test func execRelaysStdinAndStdoutWithTheKubeletsSubprotocol() async throws {
        try await withCluster { kubelet, port in
            try await RawConnection.with(port: port) { connection in
                let head = try await open(
                    &connection, "\(Self.pods)/web/exec?command=cat&stdin=true&stdout=true&stderr=true",
                    protocols: "v5.channel.k8s.io, v4.channel.k8s.io")
                #expect(head.hasPrefix("http/1.1 101"))
                #expect(head.contains("sec-websocket-protocol: v5.channel.k8s.io"))

                try await connection.send(Frames.client(opcode: 0x2, [0] + Array("hello".utf8)))
                let echoed = try await Frames.read(&connection)
                #expect(echoed?.0 == 0x82)
                #expect(echoed?.1 == [1] + Array("hello".utf8))

                // v5: closing stdin ends the command, whose Status comes on channel 3.
                try await connection.send(Frames.client(opcode: 0x2, [255, 0]))
                let status = try await Frames.read(&connection)
                #expect(status?.1 == [3] + Self.status)
                let close = try await Frames.read(&connection)
                #expect(close?.0 == 0x88)
                #expect(close?.1 == [0x03, 0xE8])
                try await connection.send(Frames.client(opcode: 0x8, [0x03, 0xE8]))
                #expect(try await connection.isClosedByServer())
            }
            #expect(
                kubelet.targets == ["/exec/default/web/app?command=cat&stderr=true&stdin=true&stdout=true&tty=false"])
        }
    }

    @Test func theOfferIsTheClientsAndSoIsTheChoice() async throws {
        try await withCluster { kubelet, port in
            try await RawConnection.with(port: port) { connection in
                let head = try await open(
                    &connection, "\(Self.pods)/multi/exec?container=b&command=echo&command=hi%20there",
                    protocols: "v4.channel.k8s.io")
                #expect(head.contains("sec-websocket-protocol: v4.channel.k8s.io"))
                let printed = try await Frames.read(&connection)
                #expect(printed?.1 == [1] + Array("echo hi there\n".utf8))
                #expect(try await Frames.read(&connection)?.1 == [3] + Self.status)
            }
            #expect(
                kubelet.targets
                    == ["/exec/default/multi/b?command=echo&command=hi+there&stderr=true&stdin=false&stdout=true&tty=false"])
        }
    }

    @Test func theClientsCloseCodeReachesTheKubelet() async throws {
        try await withCluster { kubelet, port in
            try await RawConnection.with(port: port) { connection in
                let head = try await open(
                    &connection, "\(Self.pods)/web/portforward?ports=8080&ports=9090",
                    protocols: "SPDY/3.1+portforward.k8s.io")
                #expect(head.contains("sec-websocket-protocol: spdy/3.1+portforward.k8s.io"))
                try await connection.send(Frames.client(opcode: 0x2, [0x80, 0x03, 0x00, 0x01]))
                #expect(try await Frames.read(&connection)?.1 == [0x80, 0x03, 0x00, 0x01])
                // 4000: an application's own close code, passed on unchanged.
                try await connection.send(Frames.client(opcode: 0x8, [0x0F, 0xA0]))
                let close = try await Frames.read(&connection)
                #expect(close?.0 == 0x88 && close?.1 == [0x0F, 0xA0])
            }
            #expect(await kubelet.recorder.sessionEnded.wait())
            #expect(kubelet.recorder.closeCode.withLock { $0 } == 4000)
            #expect(kubelet.targets == ["/portForward/default/web?ports=8080%2C9090"])
        }
    }

    @Test func aKubeletRefusalIsPassedOn() async throws {
        try await withCluster { _, port in
            try await RawConnection.with(port: port) { connection in
                try await connection.send(
                    Self.upgrade("\(Self.pods)/broken/exec?command=sh", protocols: "v5.channel.k8s.io"))
                let response = try #require(try await connection.readResponse())
                #expect(response.head.hasPrefix("HTTP/1.1 500"))
                #expect(response.head.lowercased().contains("content-type: text/plain"))
                #expect(String(decoding: response.body, as: UTF8.self) == "container refuse is not running")
            }
        } pods: { api in
            try await api.addPod("broken", containers: ["refuse"], node: "node-1")
        }
    }
}
