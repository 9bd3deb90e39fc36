import Foundation
import Testing

/// `skiff server --datastore-endpoint`: the cluster lives in a real etcd (on
/// loopback, started here), where etcdctl sees it and a second server shares it.
@Suite(
    .enabled(
        if: EtcdForTest.installed && ClusterUnderTest.kubectl != nil,
        "needs /usr/bin/etcd and /usr/bin/etcdctl (etcd-server, etcd-client) and kubectl on PATH"),
    .timeLimit(.minutes(5)))
struct EtcdServerTests {
    @Test func serversShareTheClusterInEtcd() async throws {
        let skiff = try SkiffBinary()
        let scratch = try ScratchDirectory()
        let etcd = try await EtcdForTest.start(in: scratch.path + "/etcd")
        defer { etcd.stop() }

        func server(_ name: String) throws -> Process {
            try skiff.startServer([
                "--data-dir", "\(scratch.path)/\(name)", "--write-kubeconfig", "\(scratch.path)/\(name).kubeconfig",
                "--datastore-endpoint", etcd.endpoint,
            ])
        }
        func kubectl(_ name: String, _ arguments: [String]) async throws -> SkiffBinary.Outcome {
            try await SkiffBinary.runAsync(
                ClusterUnderTest.kubectl!,
                ["--kubeconfig", "\(scratch.path)/\(name).kubeconfig", "--cache-dir", "\(scratch.path)/\(name)-cache",
                 "--request-timeout", "20s"] + arguments)
        }

        let one = try server("one")
        defer { skiff.stop(one) }
        let created = try await kubectl("one", ["create", "configmap", "demo", "--from-literal=greeting=hello"])
        #expect(created.status == 0, "\(created.stderr)")

        let keys = try await etcd.etcdctl(["get", "/registry/configmaps", "--prefix", "--keys-only"])
        #expect(keys.split(separator: "\n").contains("/registry/configmaps/default/demo"), "\(keys)")
        let value = try await etcd.etcdctl(["get", "/registry/configmaps/default/demo", "--print-value-only"])
        #expect(value.contains(#""greeting":"hello""#), "the value is the object's JSON: \(value)")

        let two = try server("two")
        defer { skiff.stop(two) }
        let seen = try await kubectl("two", ["get", "configmap", "demo", "-o", "jsonpath={.data.greeting}"])
        #expect(seen.status == 0 && seen.stdout == "hello", "\(seen.stderr)")
        let fromTwo = try await kubectl("two", ["create", "configmap", "from-two", "--from-literal=a=b"])
        #expect(fromTwo.status == 0, "\(fromTwo.stderr)")
        let listed = try await kubectl("one", ["get", "configmaps", "-o", "name"])
        #expect(listed.stdout.contains("configmap/from-two"), "server one sees server two's write: \(listed.stdout)")
    }

    @Test func badEndpointIsRefusedClearly() async throws {
        let skiff = try SkiffBinary()
        let outcome = try await skiff.run(["server", "--disable-agent", "--datastore-endpoint", "127.0.0.1:2379"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("must start with http:// or https://"), "\(outcome.stderr)")
    }
}

/// A throwaway etcd on 127.0.0.1 with free ports, stopped by its pid.
struct EtcdForTest {
    static let installed = ["/usr/bin/etcd", "/usr/bin/etcdctl"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    let endpoint: String
    let process: Process

    static func start(in directory: String) async throws -> EtcdForTest {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let client = "http://127.0.0.1:\(try freePort())"
        let peer = "http://127.0.0.1:\(try freePort())"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/etcd")
        process.arguments = [
            "--name", "test", "--data-dir", directory + "/data",
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "test=\(peer)",
            "--max-request-bytes", "1638400",
        ]
        _ = FileManager.default.createFile(atPath: directory + "/etcd.log", contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: directory + "/etcd.log")
        process.standardError = process.standardOutput
        try process.run()
        let etcd = EtcdForTest(endpoint: client, process: process)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline && process.isRunning {
            if (try? await etcd.etcdctl(["endpoint", "health"])) != nil { return etcd }
            try await Task.sleep(for: .milliseconds(100))
        }
        etcd.stop()
        throw CommandTestFailure("etcd did not become healthy; see \(directory)/etcd.log")
    }

    /// `etcdctl ARGS` against this etcd; its output, or an error if it failed.
    func etcdctl(_ arguments: [String]) async throws -> String {
        let outcome = try await SkiffBinary.runAsync("/usr/bin/etcdctl", ["--endpoints", endpoint] + arguments)
        guard outcome.status == 0 else { throw CommandTestFailure("etcdctl \(arguments): \(outcome.stderr)") }
        return outcome.stdout
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw CommandTestFailure("socket: errno \(errno)") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw CommandTestFailure("bind 127.0.0.1:0: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
