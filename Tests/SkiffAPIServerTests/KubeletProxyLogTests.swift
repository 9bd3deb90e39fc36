import Foundation
import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// pods/log streamed from a fake kubelet.
@Suite("Kubelet proxy logs", .serialized, .timeLimit(.minutes(2)))
struct KubeletProxyLogTests {
    static let pods = "/api/v1/namespaces/default/pods"

    func withKubelet(_ body: (FakeKubelet, KubeletProxyFixture) async throws -> Void) async throws {
        let kubelet = try await FakeKubelet()
        do {
            try await body(kubelet, try await KubeletProxyFixture(kubeletPort: kubelet.port))
        } catch {
            await kubelet.stop()
            throw error
        }
        await kubelet.stop()
    }

    @Test func logsStreamThroughWithTheKubeletsStatusAndType() async throws {
        try await withKubelet { kubelet, api in
            let reply = try await api.send("GET", "\(Self.pods)/web/log")
            #expect(reply.status == 200)
            #expect(reply.headers["Content-Type"] == "text/plain")
            #expect(reply.text == "one\ntwo\nthree\n")
            #expect(kubelet.targets == ["/containerLogs/default/web/app"])
        }
    }

    @Test func optionsReachTheKubeletAsUpstreamSendsThem() async throws {
        try await withKubelet { kubelet, api in
            let reply = try await api.send(
                "GET", "\(Self.pods)/multi/log?container=b&tailLines=2&timestamps=true&sinceTime=2024-05-01T10:00:00%2B02:00&limitBytes=100&previous")
            #expect(reply.text == "two\nthree\n")
            #expect(
                kubelet.targets == [
                    "/containerLogs/default/multi/b?limitBytes=100&previous=true&sinceTime=2024-05-01T08%3A00%3A00Z&tailLines=2&timestamps=true"
                ])
        }
    }

    @Test func kubeletErrorsBecomeStatuses() async throws {
        try await withKubelet { _, api in
            try await api.addPod("slow", containers: ["waiting", "gone"], node: "node-1")
            let waiting = try await api.send("GET", "\(Self.pods)/slow/log?container=waiting")
            #expect(waiting.status == 400 && waiting.reason == "BadRequest")
            #expect(waiting.message == #"container "waiting" in pod "web" is waiting to start: ContainerCreating"#)
            let gone = try await api.send("GET", "\(Self.pods)/slow/log?container=gone")
            #expect(gone.status == 404 && gone.reason == "NotFound")
            #expect(gone.message == "the server could not find the requested resource ( pods/log slow)")
        }
    }

    /// Over a real connection: lines arrive while the kubelet keeps the stream
    /// open, and the client leaving ends the kubelet's request.
    @Test func followStreamsUntilTheClientLeaves() async throws {
        try await withKubelet { kubelet, api in
            try await api.withHTTP { port in
                try await RawConnection.with(port: port) { connection in
                    try await connection.send(
                        Array("GET \(Self.pods)/web/log?follow=true HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
                    let head = String(decoding: try #require(try await connection.read(through: [13, 10, 13, 10])), as: UTF8.self)
                    #expect(head.hasPrefix("HTTP/1.1 200"))
                    #expect(head.lowercased().contains("transfer-encoding: chunked"))
                    var body = ""
                    while !body.contains("three\n") {
                        let chunk = try #require(try await connection.read(through: [13, 10]))
                        body += String(decoding: chunk, as: UTF8.self)
                    }
                    #expect(!kubelet.recorder.followEnded.fired)
                }
                #expect(await kubelet.recorder.followEnded.wait())
            }
            #expect(kubelet.targets == ["/containerLogs/default/web/app?follow=true"])
        }
    }
}
