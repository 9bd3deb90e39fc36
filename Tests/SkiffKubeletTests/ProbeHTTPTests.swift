import Foundation
import SkiffAPI
import SkiffAPIServer
import SkiffPKI
import SkiffRuntime
import SkiffStore
import Synchronization
import Testing
@testable import SkiffKubelet
#if canImport(Glibc)
import Glibc
#endif

/// HTTP and TCP probes against servers on 127.0.0.1.
@Suite struct ProbeHTTPTests {
    let prober = Prober(commands: NoCommands())

    func target(ports: [ContainerPort] = []) -> ProbeTarget {
        var container = Container(name: "web", image: "busybox")
        container.ports = ports
        return ProbeTarget(container: container, containerID: "c1", podIP: "127.0.0.1")
    }

    func httpProbe(port: IntOrString, path: String = "/healthz", change: (inout HTTPGetAction) -> Void = { _ in }) -> Probe {
        var action = HTTPGetAction(path: path, port: port)
        change(&action)
        var probe = Probe()
        probe.httpGet = action
        return probe
    }

    @Test func successSendsUpstreamsHeaders() async throws {
        let server = try TestHTTPServer { _ in .status(200, body: "ok") }
        defer { server.stop() }
        let probe = httpProbe(port: .int(Int32(server.port)), path: "/healthz?verbose=1") {
            var header = HTTPHeader()
            header.name = "x-custom-header"
            header.value = "awesome"
            $0.httpHeaders = [header]
        }
        #expect(await prober.probe(probe, target: target(), timeout: .seconds(5)) == .success)
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.target == "/healthz?verbose=1")
        #expect(request.header("Host") == "127.0.0.1:\(server.port)")
        #expect(request.header("User-Agent") == "kube-probe/1.32")
        #expect(request.header("Accept") == "*/*")
        #expect(request.headers.contains { $0.name == "X-Custom-Header" && $0.value == "awesome" })
    }

    @Test func hostHeaderAndAcceptOverrides() async throws {
        let server = try TestHTTPServer { _ in .status(204) }
        defer { server.stop() }
        let probe = httpProbe(port: .int(Int32(server.port))) {
            var host = HTTPHeader()
            host.name = "Host"
            host.value = "shop.example"
            var accept = HTTPHeader()
            accept.name = "Accept"
            accept.value = ""
            $0.httpHeaders = [host, accept]
        }
        #expect(await prober.probe(probe, target: target(), timeout: .seconds(5)) == .success)
        let request = try #require(server.requests.first)
        #expect(request.header("Host") == "shop.example")
        #expect(request.header("Accept") == nil)
    }

    @Test(arguments: [400, 404, 500, 503])
    func errorStatusesFail(status: Int) async throws {
        let server = try TestHTTPServer { _ in .status(status, body: "nope") }
        defer { server.stop() }
        let result = await prober.probe(httpProbe(port: .int(Int32(server.port))), target: target(), timeout: .seconds(5))
        #expect(result == .failure("HTTP probe failed with statuscode: \(status)"))
    }

    @Test func redirectOnTheSameHostIsFollowed() async throws {
        let server = try TestHTTPServer { request in
            request.target == "/healthz" ? .status(302, headers: [("Location", "/ready")]) : .status(200)
        }
        defer { server.stop() }
        // A generous timeout: what is tested is the redirect, not the clock (a loaded machine stalls tasks).
        #expect(await prober.probe(httpProbe(port: .int(Int32(server.port))), target: target(), timeout: .seconds(60)) == .success)
        #expect(server.requests.map(\.target) == ["/healthz", "/ready"])
    }

    @Test func redirectToAnotherHostIsAWarningAndNotFollowed() async throws {
        // "localhost" is another host name than 127.0.0.1: upstream stops there.
        let body = String(repeating: "x", count: 50_000)
        let server = try TestHTTPServer { _ in .status(301, headers: [("Location", "http://localhost:1/elsewhere")], body: body) }
        defer { server.stop() }
        let result = await prober.probe(httpProbe(port: .int(Int32(server.port))), target: target(), timeout: .seconds(5))
        guard case .warning(let message) = result else {
            Issue.record("expected a warning, got \(result)")
            return
        }
        let prefix = "Probe terminated redirects, Response body: "
        #expect(message.hasPrefix(prefix))
        // The body is read up to upstream's 10 KiB and no further.
        #expect(message.count == prefix.count + 10 * 1024)
        #expect(server.requests.count == 1)
    }

    @Test func redirectLoopStopsAfterTenRequests() async throws {
        let server = try TestHTTPServer { _ in .status(307, headers: [("Location", "/again")]) }
        defer { server.stop() }
        // Ten exchanges on a loaded machine can take long: the limit is what is tested, not the clock.
        let result = await prober.probe(httpProbe(port: .int(Int32(server.port))), target: target(), timeout: .seconds(900))
        #expect(result == .failure("Get \"http://127.0.0.1:\(server.port)/again\": stopped after 10 redirects"))
        #expect(server.requests.count == 10)
    }

    @Test func namedPortIsTheContainersPort() async throws {
        let server = try TestHTTPServer { _ in .status(200) }
        defer { server.stop() }
        let ports = [ContainerPort(containerPort: Int32(server.port), name: "http")]
        #expect(await prober.probe(httpProbe(port: .string("http")), target: target(ports: ports), timeout: .seconds(5)) == .success)
        // A number written as a string is a number, as upstream's last ditch effort.
        #expect(await prober.probe(httpProbe(port: .string("\(server.port)")), target: target(), timeout: .seconds(5)) == .success)
    }

    @Test func unknownPortNameErrors() async {
        let result = await prober.probe(httpProbe(port: .string("metrics")), target: target(), timeout: .seconds(5))
        #expect(result == .unknown("strconv.Atoi: parsing \"metrics\": invalid syntax"))
    }

    @Test func serverThatNeverAnswersTimesOut() async throws {
        let server = try TestHTTPServer { _ in .hang }
        defer { server.stop() }
        let result = await prober.probe(httpProbe(port: .int(Int32(server.port))), target: target(), timeout: .milliseconds(300))
        #expect(result == .failure(
            "Get \"http://127.0.0.1:\(server.port)/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"))
    }

    @Test func closedPortIsRefused() async throws {
        let port = try TestHTTPServer.closedPort()
        let result = await prober.probe(httpProbe(port: .int(Int32(port))), target: target(), timeout: .seconds(5))
        #expect(result == .failure(
            "Get \"http://127.0.0.1:\(port)/healthz\": dial tcp 127.0.0.1:\(port): connect: connection refused"))
    }

    @Test func httpsToAServerThatSpeaksNoTLSFails() async throws {
        // The plain server waits for a request line that never comes.
        let server = try TestHTTPServer { _ in .status(200) }
        defer { server.stop() }
        let probe = httpProbe(port: .int(Int32(server.port))) { $0.scheme = "HTTPS" }
        let result = await prober.probe(probe, target: target(), timeout: .milliseconds(500))
        guard case .failure(let message) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(message.hasPrefix("Get \"https://127.0.0.1:\(server.port)/healthz\": "))
    }

    @Test func httpsDoesNotVerifyThePodsCertificate() async throws {
        // A certificate for a name the prober cannot check, from a CA it does not know.
        let ca = try CertificateAuthority.generate(commonNamePrefix: "probe-test")
        let leaf = try ca.issueServingCertificate(commonName: "pod", names: SubjectAltNames(dnsNames: ["pod.invalid"]))
        let api = APIServer(store: MemoryStore(), configuration: APIServer.Configuration())
        try await api.start()
        let http = APIHTTPServer(handler: api)
        let tls = TLSSettings(certificateChainPEM: Array(leaf.certificatePEM.utf8), privateKeyPEM: Array(leaf.privateKeyPEM.utf8))
        let port = try await http.start(host: "127.0.0.1", port: 0, tls: tls)
        let probe = httpProbe(port: .int(Int32(port)), path: "/healthz") { $0.scheme = "HTTPS" }
        let result = await prober.probe(probe, target: target(), timeout: .seconds(10))
        await http.stop(gracePeriod: .seconds(1))
        await api.stop()
        #expect(result == .success)
    }

    @Test func podWithoutAnIPIsNotProbed() async {
        let target = ProbeTarget(container: Container(name: "web", image: nil), containerID: "c1", podIP: nil)
        #expect(await prober.probe(httpProbe(port: .int(80)), target: target, timeout: .seconds(1))
            == .unknown("the pod has no IP address yet"))
    }

    @Test func tcpSocketOpenAndClosedPorts() async throws {
        let server = try TestHTTPServer { _ in .status(200) }
        defer { server.stop() }
        var open = Probe()
        open.tcpSocket = TCPSocketAction()
        open.tcpSocket?.port = .int(Int32(server.port))
        #expect(await prober.probe(open, target: target(), timeout: .seconds(5)) == .success)

        let port = try TestHTTPServer.closedPort()
        var closed = Probe()
        closed.tcpSocket = TCPSocketAction()
        closed.tcpSocket?.port = .int(Int32(port))
        #expect(await prober.probe(closed, target: target(), timeout: .seconds(5))
            == .failure("dial tcp 127.0.0.1:\(port): connect: connection refused"))
    }

    @Test func grpcAndMissingHandlersAreReported() async {
        var grpc = Probe()
        grpc.grpc = GRPCAction()
        #expect(await prober.probe(grpc, target: target(), timeout: .seconds(1))
            == .failure("gRPC probes are not supported by this kubelet"))
        #expect(await prober.probe(Probe(), target: target(), timeout: .seconds(1))
            == .unknown("missing probe handler for container \"web\""))
    }

    @Test func headerNamesAreCanonicalAsGoWritesThem() {
        #expect(HTTPGetRequest.canonicalName("x-custom-header") == "X-Custom-Header")
        #expect(HTTPGetRequest.canonicalName("USER-AGENT") == "User-Agent")
        #expect(HTTPGetRequest.canonicalName("bad header") == "bad header")
        #expect(HTTPGetRequest.target("healthz") == "/healthz")
        #expect(HTTPGetRequest.target("/a b#frag") == "/a%20b")
    }
}

/// A command runner for tests that run no commands.
struct NoCommands: ContainerCommandRunning {
    func run(_ command: [String], in containerID: String, timeout: Duration?) async throws(RuntimeError)
        -> ContainerCommandOutcome
    {
        throw .invalidState(container: containerID, reason: "runs no commands")
    }
}

/// A request as the test server read it.
struct TestHTTPRequest: Sendable {
    var method: String
    var target: String
    /// Names as sent, in order.
    var headers: [(name: String, value: String)]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// What the test server answers.
enum TestHTTPReply: Sendable {
    case status(Int, headers: [(String, String)] = [], body: String = "")
    /// Never answers; the connection stays open until the server stops.
    case hang
}

/// A tiny HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for probe tests: one
/// thread accepts, one thread per connection reads a request and answers it.
final class TestHTTPServer: Sendable {
    let port: Int
    private let listener: Int32
    private let respond: @Sendable (TestHTTPRequest) -> TestHTTPReply
    private let state = Mutex((requests: [TestHTTPRequest](), stopped: false))

    init(_ respond: @escaping @Sendable (TestHTTPRequest) -> TestHTTPReply) throws {
        self.respond = respond
        let (listener, port) = try Self.listen()
        self.listener = listener
        self.port = port
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var requests: [TestHTTPRequest] { state.withLock { $0.requests } }

    func stop() {
        state.withLock { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    struct SocketError: Error {
        var call: String
        var errno: Int32
    }

    /// A listening socket on 127.0.0.1 and its port.
    static func listen() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else { throw SocketError(call: "bind/listen", errno: errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A loopback port nothing listens on: bound, then closed.
    static func closedPort() throws -> Int {
        let (fd, port) = try listen()
        close(fd)
        return port
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        guard let request = Self.readRequest(connection) else { return }
        state.withLock { $0.requests.append(request) }
        switch respond(request) {
        case .hang:
            while !state.withLock({ $0.stopped }) { usleep(20_000) }
        case .status(let code, let headers, let body):
            var text = "HTTP/1.1 \(code) Test\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in headers { text += "\(name): \(value)\r\n" }
            text += "\r\n" + body
            let bytes = Array(text.utf8)
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count <= 0 { return }
                sent += count
            }
        }
    }

    private static func readRequest(_ connection: Int32) -> TestHTTPRequest? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while data.count < 65536 {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            data += buffer[0..<count]
            if data.count >= 4, (0...(data.count - 4)).contains(where: { Array(data[$0..<$0 + 4]) == end }) { break }
        }
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return TestHTTPRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers)
    }
}
