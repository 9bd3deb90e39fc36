import Foundation

/// Network namespaces a root test makes and removes: a "node" where the proxy
/// programs its table, a "client" behind it, and "pods" each with a busybox
/// httpd that answers with the pod's name (and, at /cgi-bin/peer, with the
/// address the connection came from). Nothing has a route out: the client
/// and the pods route only to the node, and the node has no uplink.
///
/// client 192.168.200.2 ── 192.168.200.1 node 10.42.i.1 ── 10.42.i.2 pod i
///        fd00:200::2    ── fd00:200::1       fd42:0:0:i::1 ── fd42:0:0:i::2 (dual-stack)
final class NetworkLab: @unchecked Sendable {
    let prefix = "skp\(String(UInt32.random(in: 0..<1_000_000), radix: 36))"
    let podCount: Int
    let directory: String
    private var servers: [Process] = []

    var node: String { prefix + "-node" }
    var client: String { prefix + "-cl" }
    func pod(_ index: Int) -> String { prefix + "-p\(index)" }
    func podIP(_ index: Int) -> String { "10.42.\(index).2" }
    func podIPv6(_ index: Int) -> String { "fd42:0:0:\(index)::2" }
    let nodeIP = "192.168.200.1"
    let clientIP = "192.168.200.2"
    let nodeIPv6 = "fd00:200::1"
    let clientIPv6 = "fd00:200::2"
    var nodeNamespacePath: String { "/run/netns/" + node }

    init(pods: Int) {
        podCount = pods
        directory = NSTemporaryDirectory() + prefix
    }

    func start() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for namespace in [node, client] + (1...podCount).map(pod) {
            try await must("/usr/sbin/ip", ["netns", "add", namespace])
            try await ip(namespace, ["link", "set", "lo", "up"])
        }
        try await sysctl(node, "net.ipv4.ip_forward=1")
        try await sysctl(node, "net.ipv4.conf.all.rp_filter=0")
        try await sysctl(node, "net.ipv6.conf.all.forwarding=1")
        try await link(
            node, "cl0", ["192.168.200.1/24", "\(nodeIPv6)/64"], client, "eth0", ["192.168.200.2/24", "\(clientIPv6)/64"],
            gateways: ["192.168.200.1", nodeIPv6])
        for index in 1...podCount {
            try await link(
                node, "p\(index)", ["10.42.\(index).1/24", "fd42:0:0:\(index)::1/64"],
                pod(index), "eth0", ["\(podIP(index))/24", "\(podIPv6(index))/64"],
                gateways: ["10.42.\(index).1", "fd42:0:0:\(index)::1"])
            try await serve(index)
        }
    }

    /// Removes the servers and namespaces (also after a failed test).
    func stop() async {
        // Killed and awaited by polling: Process.waitUntilExit would block a pool thread.
        for server in servers where server.isRunning { kill(server.processIdentifier, SIGKILL) }
        for server in servers {
            for _ in 0..<100 where server.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        }
        for namespace in [node, client] + (1...podCount).map(pod) {
            _ = try? await runProgram("/usr/sbin/ip", ["netns", "delete", namespace])
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A UDP responder on port 5353 in every pod, answering each datagram with the
    /// pod's name (python3: busybox's nc answers one peer and exits).
    func serveUDP() async throws {
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("0.0.0.0", 5353))
            while True:
                data, peer = s.recvfrom(100)
                s.sendto(sys.argv[1].encode(), peer)
            """
        for index in 1...podCount {
            let server = Process()
            server.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
            server.arguments = ["--net=/run/netns/\(pod(index))", "--", "/usr/bin/python3", "-c", script, pod(index)]
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            servers.append(server)
            for _ in 0..<100 {
                if try await udpAnswers(podIP(index), 5353, from: pod(index), sourcePort: 40999, count: 1) == [pod(index)] { break }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Sends `count` datagrams to `host`:`port` one after another from one source
    /// port of the client (so they are one conntrack flow), and returns who answered
    /// each: a pod's name, "timeout" (no answer within a second) or "refused".
    func udpAnswers(_ host: String, _ port: Int, from namespace: String? = nil, sourcePort: Int, count: Int) async throws -> [String] {
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", int(sys.argv[3])))
            s.settimeout(1)
            for _ in range(int(sys.argv[4])):
                s.sendto(b"?", (sys.argv[1], int(sys.argv[2])))
                try:
                    print(s.recv(100).decode())
                except socket.timeout:
                    print("timeout")
                except OSError:
                    print("refused")
            """
        let (_, output) = try await run(
            in: namespace ?? client, ["/usr/bin/python3", "-c", script, host, "\(port)", "\(sourcePort)", "\(count)"])
        return output.split(separator: "\n").map(String.init)
    }

    /// Runs `arguments` inside a namespace.
    @discardableResult
    func run(in namespace: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await runProgram("/usr/bin/nsenter", ["--net=/run/netns/\(namespace)", "--"] + arguments)
    }

    /// One HTTP GET from `namespace`; the answering pod's name, or curl's complaint.
    func get(_ url: String, from namespace: String? = nil) async throws -> String {
        try await fetch(url, from: namespace).output
    }

    /// One HTTP GET with curl's exit status: 0, 7 when the connection was refused, 28 on a timeout.
    func fetch(_ url: String, from namespace: String? = nil) async throws -> (status: Int32, output: String) {
        // -g: the brackets of an IPv6 URL are not a glob.
        let (status, output) = try await run(in: namespace ?? client, ["/usr/bin/curl", "-sSg", "-m", "3", url])
        return (status, output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The peer address a /cgi-bin/peer answer names, as dotted IPv4 (httpd listens
    /// on an IPv6 socket and reports IPv4 peers as [::ffff:a.b.c.d]).
    func peer(_ url: String, from namespace: String) async throws -> String {
        let answer = try await get(url, from: namespace)
        guard answer.hasPrefix("[::ffff:"), answer.hasSuffix("]") else { return answer }
        return String(answer.dropFirst("[::ffff:".count).dropLast())
    }

    /// What `iptables-save -t table` prints in the node namespace.
    func iptablesSave(_ table: String) async throws -> String {
        let (status, output) = try await run(in: node, ["iptables-save", "-t", table])
        guard status == 0 else { throw ProgramFailed(description: "iptables-save -t \(table): \(output)") }
        return output
    }

    func nft(_ arguments: [String]) async throws -> String {
        let (status, output) = try await run(in: node, ["/usr/sbin/nft"] + arguments)
        guard status == 0 else { throw ProgramFailed(description: "nft \(arguments): \(output)") }
        return output
    }

    private func ip(_ namespace: String, _ arguments: [String]) async throws {
        try await must("/usr/sbin/ip", ["-n", namespace] + arguments)
    }

    private func sysctl(_ namespace: String, _ setting: String) async throws {
        let (status, output) = try await run(in: namespace, ["/usr/sbin/sysctl", "-qw", setting])
        guard status == 0 else { throw ProgramFailed(description: "sysctl \(setting): \(output)") }
    }

    /// A veth pair between `a` and `b` with an address of each family on both ends,
    /// and `b`'s default routes through `a`. IPv6 addresses skip duplicate address
    /// detection, which would keep them unusable for a second or two.
    private func link(
        _ a: String, _ aName: String, _ aAddresses: [String], _ b: String, _ bName: String, _ bAddresses: [String],
        gateways: [String]
    ) async throws {
        try await must("/usr/sbin/ip", ["link", "add", aName, "netns", a, "type", "veth", "peer", "name", bName, "netns", b])
        for (namespace, device, addresses) in [(a, aName, aAddresses), (b, bName, bAddresses)] {
            for address in addresses {
                try await ip(namespace, ["addr", "add", address, "dev", device] + (address.contains(":") ? ["nodad"] : []))
            }
            try await ip(namespace, ["link", "set", device, "up"])
        }
        for gateway in gateways { try await ip(b, ["route", "add", "default", "via", gateway]) }
    }

    private func serve(_ index: Int) async throws {
        try await serve(in: pod(index), address: podIP(index), name: pod(index))
    }

    /// An httpd in the client namespace too, for traffic from pods to outside the cluster CIDR.
    func serveClient() async throws {
        try await serve(in: client, address: clientIP, name: client)
    }

    private func serve(in namespace: String, address: String, name: String) async throws {
        let root = directory + "/www-\(name)"
        try FileManager.default.createDirectory(atPath: root + "/cgi-bin", withIntermediateDirectories: true)
        try "\(name)\n".write(toFile: root + "/index.html", atomically: true, encoding: .utf8)
        // busybox httpd hands a CGI the peer's address in REMOTE_ADDR.
        let peer = root + "/cgi-bin/peer"
        try "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' \"$REMOTE_ADDR\"\n"
            .write(toFile: peer, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: peer)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        server.arguments = ["--net=/run/netns/\(namespace)", "--", "/bin/busybox", "httpd", "-f", "-p", "8080", "-h", root]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        servers.append(server)
        // Ready when it answers on its own address, from inside its namespace.
        for _ in 0..<100 {
            if try await get("http://\(address):8080/", from: namespace) == name { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProgramFailed(description: "httpd in \(namespace) does not answer")
    }

    static func with<T>(pods: Int, _ body: (NetworkLab) async throws -> T) async throws -> T {
        let lab = NetworkLab(pods: pods)
        do {
            try await lab.start()
            let result = try await body(lab)
            await lab.stop()
            return result
        } catch {
            await lab.stop()
            throw error
        }
    }
}
