import Foundation
import NIOCore
import Testing
@testable import SkiffRuntime

/// The registry HTTP client against servers that misbehave at the socket level.
@Suite struct ImageHTTPTests {
    /// A server that accepts the connection and never answers must fail the
    /// request, not hang the pull.
    @Test func failsWhenTheServerStallsInsteadOfHanging() async throws {
        let work = try TemporaryDirectory()
        let port = try freeLoopbackPort()
        let script = """
            import socket, time
            server = socket.socket()
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", \(port)))
            server.listen(4)
            connections = []
            while True:
                connections.append(server.accept()[0])
            """
        try script.write(toFile: "\(work.path)/silent.py", atomically: false, encoding: .utf8)
        let server = try ChildProcess("/usr/bin/python3", ["\(work.path)/silent.py"], log: "\(work.path)/silent.log")
        try await waitForLoopbackPort(port, process: server.process)

        var client = try RegistryHTTPClient()
        client.readTimeout = .milliseconds(300)
        let url = RegistryURL(secure: false, host: "127.0.0.1", port: port, target: "/v2/")
        let error = await #expect(throws: ImageError.self) { try await client.get(url, headers: []) }
        #expect(error?.code == .registryUnreachable)
        #expect(error?.description.hasSuffix("the server sent nothing for 0.3 s") == true, "\(error?.description ?? "")")
    }

    @Test func credentialsNeverPrintThePassword() throws {
        let credentials = try RegistryCredentials(userColonPassword: "puller:s3:cret")
        #expect(credentials.username == "puller" && credentials.password == "s3:cret")
        #expect(!"\(credentials)".contains("s3:cret"))
        #expect(credentials.basicAuthorization == "Basic " + Data("puller:s3:cret".utf8).base64EncodedString())
        #expect(throws: ImageError.self) { try RegistryCredentials(userColonPassword: "no-colon") }
    }

    @Test func parsesRealmsAndRedirectTargets() throws {
        let realm = try RegistryURL(parsing: "https://auth.example.com/token?service=x")
        #expect(realm.secure && realm.host == "auth.example.com" && realm.port == 443)
        #expect(realm.target == "/token?service=x")
        let local = try RegistryURL(parsing: "http://127.0.0.1:5000/v2/")
        #expect(local.target == "/v2/" && local.authority == "127.0.0.1:5000")
        #expect(throws: ImageError.self) { try RegistryURL(parsing: "ftp://example.com/x") }
        #expect(throws: ImageError.self) { try RegistryURL(parsing: "/relative") }
    }
}
