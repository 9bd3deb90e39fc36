import Foundation
import SkiffProxy

/// The connection-rate half of the proxy benchmark: how many TCP connections a
/// second a client opens to a ClusterIP through the node's rules, with few and with
/// many Services programmed — the per-packet cost of the ruleset. The client and
/// the endpoints sit in namespaces of their own on either side of the benchmark's
/// node namespace (no route out):
///
/// client 192.168.201.2 ── 192.168.201.1 node 10.42.255.254/16 ── endpoints (both of the last Service)
///
/// The connections go to the last Service (the end of iptables' KUBE-SERVICES
/// list; nftables looks it up in a map wherever it is). The client and the
/// accepting server are small python3 loops, the same for every row.
struct ProxyConnectionRate {
    let namespace: String
    let seconds: Double

    var client: String { namespace + "-cl" }
    var endpoints: String { namespace + "-ep" }

    struct Row {
        var label: String
        var services: Int
        var perSecond: Double
        var failures: Int
    }

    /// Rates for each backend with each Service count, on one topology.
    func run(counts: [Int], iptables: Bool) async throws -> [Row] {
        var rows: [Row] = []
        try setUp(endpointAddresses: Set(counts.flatMap { [ProxyBenchmark.endpoint($0 - 1, 0), ProxyBenchmark.endpoint($0 - 1, 1)] }))
        defer { tearDown() }
        let server = try startServer()
        // SIGKILL: a child of Foundation's Process inherits this thread's blocked signals, SIGTERM among them.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        for count in counts {
            let model = ProxyBenchmark(namespace: namespace, services: count, additions: 1).model(count)
            let backend = NFTablesBackend(transport: try NetfilterSocket(namespacePath: "/run/netns/" + namespace), clusterCIDR: ProxyBenchmark.cidr)
            try backend.sync(RulesetState(model: model), full: true)
            rows.append(try measure("skiff nftables", count))
            try inNode(["/usr/sbin/nft", "delete", "table", "ip", "skiff"])
        }
        if iptables {
            for count in counts {
                let model = ProxyBenchmark(namespace: namespace, services: count, additions: 1).model(count)
                let backend = IPTablesBackend(runner: IPTablesCommands(namespacePath: "/run/netns/" + namespace), clusterCIDR: ProxyBenchmark.cidr)
                _ = try await backend.apply(model, full: true)
                rows.append(try measure("skiff iptables", count))
                for table in ["nat", "filter"] { try inNode(["/usr/sbin/nft", "delete", "table", "ip", table]) }
            }
        }
        return rows
    }

    private func measure(_ label: String, _ count: Int) throws -> Row {
        let target = ProxyBenchmark.serviceIP(count - 1)
        let script = """
            import socket, struct, sys, time
            linger = struct.pack("ii", 1, 0)   # close with a reset: no TIME_WAIT pile-up
            opened = failed = 0
            end = time.monotonic() + float(sys.argv[3])
            while time.monotonic() < end:
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                s.settimeout(1)
                try:
                    s.connect((sys.argv[1], int(sys.argv[2])))
                    opened += 1
                except OSError:
                    failed += 1
                s.close()
            print(opened, failed)
            """
        let output = try ProxyBenchmark.shell(
            "/usr/bin/nsenter", ["--net=/run/netns/\(client)", "--", "/usr/bin/python3", "-c", script, "\(target)", "80", "\(seconds)"])
        let numbers = output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard numbers.count == 2 else { throw CommandFailure("connection client said: \(output)") }
        return Row(label: label, services: count, perSecond: Double(numbers[0]) / seconds, failures: numbers[1])
    }

    private func startServer() throws -> Process {
        let script = """
            import socket
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", 8080))
            s.listen(4096)
            while True:
                c, _ = s.accept()
                c.close()
            """
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        server.arguments = ["--net=/run/netns/\(endpoints)", "--", "/usr/bin/python3", "-c", script]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        Thread.sleep(forTimeInterval: 0.5)
        return server
    }

    private func setUp(endpointAddresses: Set<IPAddress>) throws {
        for name in [client, endpoints] {
            try ProxyBenchmark.shell("/usr/sbin/ip", ["netns", "add", name])
            try ProxyBenchmark.shell("/usr/sbin/ip", ["-n", name, "link", "set", "lo", "up"])
        }
        try inNode(["/usr/sbin/sysctl", "-qw", "net.ipv4.ip_forward=1"])
        try inNode(["/usr/sbin/sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0"])
        try ProxyBenchmark.shell("/usr/sbin/ip", ["-n", namespace, "link", "set", "lo", "up"])
        try link("cl0", client, node: "192.168.201.1/24", peer: ["192.168.201.2/24"], gateway: "192.168.201.1")
        try link("ep0", endpoints, node: "10.42.255.254/16", peer: endpointAddresses.sorted().map { "\($0)/16" }, gateway: "10.42.255.254")
    }

    private func link(_ name: String, _ peer: String, node address: String, peer addresses: [String], gateway: String) throws {
        try ProxyBenchmark.shell("/usr/sbin/ip", ["-n", namespace, "link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", peer])
        try ProxyBenchmark.shell("/usr/sbin/ip", ["-n", namespace, "addr", "add", address, "dev", name])
        try ProxyBenchmark.shell("/usr/sbin/ip", ["-n", namespace, "link", "set", name, "up"])
        for peerAddress in addresses { try ProxyBenchmark.shell("/usr/sbin/ip", ["-n", peer, "addr", "add", peerAddress, "dev", "eth0"]) }
        try ProxyBenchmark.shell("/usr/sbin/ip", ["-n", peer, "link", "set", "eth0", "up"])
        try ProxyBenchmark.shell("/usr/sbin/ip", ["-n", peer, "route", "add", "default", "via", gateway])
    }

    private func tearDown() {
        for name in [client, endpoints] { _ = try? ProxyBenchmark.shell("/usr/sbin/ip", ["netns", "delete", name]) }
    }

    private func inNode(_ command: [String]) throws {
        try ProxyBenchmark.shell("/usr/bin/nsenter", ["--net=/run/netns/\(namespace)", "--"] + command)
    }
}
