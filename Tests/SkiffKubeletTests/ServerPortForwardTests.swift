import Foundation
@testable import SkiffKubelet
@testable import SkiffRuntime
import Testing

/// `/portForward` into a busybox container's own network namespace: traffic stays
/// on that namespace's loopback.
@Suite("Kubelet server port-forward", .serialized, .timeLimit(.minutes(3)), .enabled(if: isRoot, "\(needsRoot)"))
struct ServerPortForwardTests {
    @Test func forwardsToTheLoopbackOfThePodsNamespace() async throws {
        let box = try BusyboxRuntime()
        try "hello from the pod\n".write(toFile: box.rootfs + "/www/index.html", atomically: true, encoding: .utf8)
        let id = "kserver-pf-\(UUID().uuidString.prefix(8).lowercased())"
        try await box.start(id, ["httpd", "-f", "-p", "8080", "-h", "/www"])
        do {
            try await forward(box, id: id)
        } catch {
            await box.removeQuietly(id)
            throw error
        }
        await box.removeQuietly(id)
    }

    private func forward(_ box: BusyboxRuntime, id: String) async throws {
        let pid = try #require(try await box.runtime.status(id: id).pid)
        let namespace = "/proc/\(pid)/ns/net"
        // A new network namespace starts with its loopback down; CNI's loopback plugin brings it up in a pod.
        try Self.run("/usr/bin/nsenter", ["--net=\(namespace)", "/usr/sbin/ip", "link", "set", "lo", "up"])
        // httpd listens on 8080 (0x1F90) in that namespace, state 0A (on IPv6's wildcard where it can).
        #expect(
            try await eventually {
                let table = ["tcp", "tcp6"].compactMap { try? String(contentsOfFile: "/proc/\(pid)/net/\($0)", encoding: .utf8) }
                return table.joined().split(separator: "\n").contains { $0.contains(":1F90 ") && $0.contains(" 0A ") }
            })
        let pod = KubeletPodEntry(
            namespace: "default", name: "box", uid: "uid-box", containerNames: ["app"],
            network: .namespace(path: namespace))
        try await withKubelet(StaticDirectory([pod]), runtime: box.runtime) { port in
            let direct = try await TestWebSocket.open(
                port: port, "/portForward/default/box?port=8080,9", protocols: ["v4.channel.k8s.io"])
            try await Self.checkSession(direct, namespace: namespace)

            try await TestAPIServer.with { api in
                try await ServerThroughAPIServerTests.register(api, kubeletPort: port, pod: "box")
                let relayed = try await TestWebSocket.open(
                    port: api.port, "/api/v1/namespaces/default/pods/box/portforward?ports=8080&ports=9",
                    protocols: ["v4.channel.k8s.io"])
                #expect(relayed.subprotocol == "v4.channel.k8s.io")
                try await Self.checkSession(relayed, namespace: namespace)
            }
            let noPort = try await TestHTTP.get(port: port, "/portForward/default/box")
            #expect(noPort.status == 400)
        }
    }

    /// Port 8080 answers an HTTP request; nothing listens on 9, which its error channel says.
    static func checkSession(_ socket: TestWebSocket, namespace: String) async throws {
        try await socket.send(channel: 0, Array("GET / HTTP/1.0\r\n\r\n".utf8))
        let transcript = try await ChannelTranscript.read(socket)
        // Each channel starts with its port, little-endian.
        #expect(transcript.channels[0]?.prefix(2).elementsEqual([0x90, 0x1F]) == true)
        #expect(transcript.channels[1]?.elementsEqual([0x90, 0x1F]) == true)
        #expect(transcript.channels[2]?.elementsEqual([9, 0]) == true)
        let answer = String(decoding: transcript.channels[0]?.dropFirst(2) ?? [], as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1."))
        #expect(answer.hasSuffix("hello from the pod\n"))
        let refused = String(decoding: transcript.channels[3]?.dropFirst(2) ?? [], as: UTF8.self)
        #expect(
            refused
                == "error forwarding port 9 to pod box_default, uid uid-box: failed to connect to localhost:9 inside "
                + "namespace \"\(namespace)\", IPv4: dial tcp4 127.0.0.1:9: connect: connection refused")
        #expect(transcript.closeCode == 1000)
    }

    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(executable) \(arguments)")
    }
}
