import Foundation
import SkiffAPI
@testable import SkiffKubelet
@testable import SkiffRuntime
import Testing

/// `/exec` and `/attach` against real busybox containers.
@Suite("Kubelet server exec and attach", .serialized, .timeLimit(.minutes(3)), .enabled(if: isRoot, "\(needsRoot)"))
struct ServerExecTests {
    static let success = #"{"metadata":{},"status":"Success"}"#

    /// A running busybox container `app` of pod `default/box`, served by a kubelet on loopback.
    func withContainer(
        _ command: [String], change: (inout ContainerConfig) -> Void = { _ in },
        _ body: (_ port: Int, _ box: BusyboxRuntime, _ id: String) async throws -> Void
    ) async throws {
        let box = try BusyboxRuntime()
        let id = "kserver-\(UUID().uuidString.prefix(8).lowercased())"
        try await box.start(id, command, change: change)
        let record = try await box.runtime.status(id: id)
        let pod = KubeletPodEntry(
            namespace: "default", name: "box", uid: "uid-box", containerNames: ["app"],
            statuses: ["app": KubeletContainerStatus(state: .running(KubeletContainerRef(id: id, logPath: record.logPath)))])
        do {
            try await withKubelet(StaticDirectory([pod]), runtime: box.runtime) { port in try await body(port, box, id) }
        } catch {
            await box.removeQuietly(id)
            throw error
        }
        await box.removeQuietly(id)
    }

    static func exec(_ command: [String], _ flags: String = "stdout=true&stderr=true") -> String {
        "/exec/default/box/app?" + command.map { "command=\(KubeletTestQuery.escape($0))" }.joined(separator: "&") + "&" + flags
    }

    @Test func echoPrintsAndSucceeds() async throws {
        try await withContainer(["sleep", "60"]) { port, _, _ in
            let socket = try await TestWebSocket.open(
                port: port, Self.exec(["echo", "hello"]), protocols: ["v5.channel.k8s.io", "v4.channel.k8s.io"])
            #expect(socket.subprotocol == "v5.channel.k8s.io")
            let transcript = try await ChannelTranscript.read(socket)
            // The empty message that says the session is up comes first, on stdout.
            #expect(transcript.order.first == 1)
            #expect(transcript.text(1) == "hello\n")
            #expect(transcript.text(3) == Self.success)
            #expect(transcript.order.last == 3)
            #expect(transcript.closeCode == 1000)
        }
    }

    @Test func aNonZeroExitIsNonZeroExitCode() async throws {
        try await withContainer(["sleep", "60"]) { port, _, _ in
            let socket = try await TestWebSocket.open(
                port: port, Self.exec(["sh", "-c", "echo oops >&2; exit 3"]), protocols: ["v4.channel.k8s.io"])
            #expect(socket.subprotocol == "v4.channel.k8s.io")
            let transcript = try await ChannelTranscript.read(socket)
            #expect(transcript.text(2) == "oops\n")
            // Go's json.Marshal escapes <, > and & for HTML; so does Skiff's codec.
            #expect(
                transcript.text(3)
                    == #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: "#
                    + #"command 'sh -c echo oops \u003e\u00262; exit 3' exited with 3","reason":"NonZeroExitCode","#
                    + #""details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"#)
        }
    }

    @Test func stdinReachesCatAndItsEndEndsCat() async throws {
        try await withContainer(["sleep", "60"]) { port, _, _ in
            let socket = try await TestWebSocket.open(
                port: port, Self.exec(["cat"], "stdin=true&stdout=true&stderr=true"), protocols: ["v5.channel.k8s.io"])
            try await socket.send(channel: 0, Array("hello ".utf8))
            try await socket.send(channel: 0, Array("cat\n".utf8))
            // v5: stdin's end of file.
            try await socket.send([255, 0])
            let transcript = try await ChannelTranscript.read(socket)
            #expect(transcript.text(1) == "hello cat\n")
            #expect(transcript.text(3) == Self.success)
        }
    }

    @Test func aTerminalCarriesEverythingAndResizes() async throws {
        try await withContainer(["sleep", "60"]) { port, _, _ in
            let socket = try await TestWebSocket.open(
                port: port,
                Self.exec(["sh", "-c", "read line; stty size; test -t 0 && echo is-a-tty; echo err >&2"],
                    "stdin=true&stdout=true&stderr=true&tty=true"),
                protocols: ["v5.channel.k8s.io"])
            try await socket.send(channel: 4, Array(#"{"Width":100,"Height":30}"#.utf8))
            try await socket.send(channel: 0, Array("go\r".utf8))
            let transcript = try await ChannelTranscript.read(socket)
            let output = transcript.text(1)
            #expect(output.contains("30 100"))
            #expect(output.contains("is-a-tty"))
            #expect(output.contains("err"))
            #expect(transcript.channels[2] == nil, "a terminal has no separate stderr")
            #expect(transcript.text(3) == Self.success)
        }
    }

    @Test func aMissingCommandEndsWithAnError() async throws {
        try await withContainer(["sleep", "60"]) { port, _, _ in
            let socket = try await TestWebSocket.open(
                port: port, Self.exec(["/no/such/command"]), protocols: ["v5.channel.k8s.io"])
            let transcript = try await ChannelTranscript.read(socket)
            let status = transcript.text(3)
            #expect(status.contains(#""status":"Failure""#))
            #expect(status.contains(#""reason":"InternalError""#))
            #expect(status.contains("error executing command in container"))
            #expect(status.contains("No such file or directory"), "\(status)")
            #expect(transcript.closeCode == 1000)
        }
    }

    @Test func aClientThatLeavesTakesItsCommandAlong() async throws {
        try await withContainer(["sleep", "60"]) { port, _, _ in
            do {
                let socket = try await TestWebSocket.open(port: port, Self.exec(["sleep", "987"]), protocols: ["v5.channel.k8s.io"])
                #expect(try await eventually { Self.processes(running: "sleep\u{0}987") == 1 })
                // The connection goes without a close frame.
                socket.connection.shutdownWriting()
            }
            #expect(try await eventually { Self.processes(running: "sleep\u{0}987") == 0 })
        }
    }

    /// Processes on the host whose command line (NUL-separated) starts with `command`.
    static func processes(running command: String) -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { entry in
            guard Int(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).hasPrefix(command)
        }.count
    }

    @Test func refusalsBeforeTheUpgrade() async throws {
        try await withContainer(["sleep", "60"]) { port, _, _ in
            let noPod = try await TestHTTP.get(port: port, "/exec/default/nope/app?command=true&stdout=1")
            #expect(noPod.status == 404 && noPod.text == "pod does not exist")
            let noContainer = try await TestHTTP.get(port: port, "/exec/default/box/db?command=true&stdout=1")
            #expect(noContainer.status == 500 && noContainer.text == #"container not found ("db")"#)
            let noStreams = try await TestHTTP.get(port: port, "/exec/default/box/app?command=true")
            #expect(noStreams.status == 400 && noStreams.text == "you must specify at least 1 of stdin, stdout, stderr")
            let noAttach = try await TestHTTP.get(port: port, "/attach/default/box/db?stdout=1")
            #expect(noAttach.text == "container db not found in pod box_default")
            await #expect(throws: LoopbackError.self) {
                _ = try await TestWebSocket.open(port: port, Self.exec(["true"]), protocols: ["v9.channel.k8s.io"])
            }
        }
    }

    @Test func attachRelaysInputAndOutputUntilTheContainerEnds() async throws {
        try await withContainer(["sh", "-c", "read line; echo got $line; echo bye >&2"], change: { $0.stdin = true }) { port, _, _ in
            let socket = try await TestWebSocket.open(
                port: port, "/attach/default/box/app?stdin=true&stdout=true&stderr=true", protocols: ["v5.channel.k8s.io"])
            try await socket.send(channel: 0, Array("ping\n".utf8))
            let transcript = try await ChannelTranscript.read(socket)
            #expect(transcript.text(1) == "got ping\n")
            #expect(transcript.text(2) == "bye\n")
            #expect(transcript.text(3) == Self.success)
        }
    }
}

/// Query escaping for test targets (spaces and shell characters in commands).
enum KubeletTestQuery {
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// `kubectl attach` through a real API server to a container made with stdin.
@Suite(
    "Kubelet server with kubectl attach", .serialized, .timeLimit(.minutes(3)), .enabled(if: isRoot, "\(needsRoot)"),
    .enabled(if: KubectlRunner.path != nil, "kubectl is not on PATH"))
struct ServerKubectlAttachTests {
    @Test func kubectlAttachFeedsAndReadsTheContainer() async throws {
        let box = try BusyboxRuntime()
        let id = "kserver-att-\(UUID().uuidString.prefix(8).lowercased())"
        try await box.start(id, ["sh", "-c", "read line; echo got $line"]) {
            $0.stdin = true
            $0.stdinOnce = true
        }
        do {
            try await attach(box, id: id)
        } catch {
            await box.removeQuietly(id)
            throw error
        }
        await box.removeQuietly(id)
    }

    private func attach(_ box: BusyboxRuntime, id: String) async throws {
        let record = try await box.runtime.status(id: id)
        let pod = KubeletPodEntry(
            namespace: "default", name: "box", uid: "uid-box", containerNames: ["app"],
            statuses: ["app": KubeletContainerStatus(state: .running(KubeletContainerRef(id: id, logPath: record.logPath)))])
        try await withKubelet(StaticDirectory([pod]), runtime: box.runtime) { kubeletPort in
            try await TestAPIServer.with { api in
                try await ServerThroughAPIServerTests.registerNode(api, kubeletPort: kubeletPort)
                var spec = Pod()
                spec.metadata.name = "box"
                spec.metadata.namespace = "default"
                var container = Container()
                container.name = "app"
                container.image = "busybox"
                container.stdin = true
                container.stdinOnce = true
                spec.spec.containers = [container]
                spec.spec.nodeName = "node-1"
                var created = try await api.client.create(spec)
                created.status.phase = "Running"
                try await api.client.updateStatus(created)
                let kubectl = try #require(KubectlRunner.path)
                let attached = try await KubectlRunner.run(kubectl, port: api.port, ["attach", "-i", "box"], input: "ping\n")
                #expect(attached.stdout.contains("got ping"), "\(attached.stderr)")
            }
        }
    }
}
