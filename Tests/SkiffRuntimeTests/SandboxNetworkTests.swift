import Foundation
import Testing
@testable import SkiffRuntime

let needsRootForNetwork = "needs root: creates network namespaces, bridges and veths (inside a test node namespace)"

/// A node of its own for each test: a network namespace the plugins run in (so the
/// bridge and the veths' node ends live there, never in the machine's namespace),
/// private run, state and lease directories, and a test pod CIDR. Everything it made
/// is removed when the test ends, passed or failed.
final class SandboxFixture {
    let directory = NSTemporaryDirectory() + "skiff-sandbox-\(UUID().uuidString.prefix(8))"
    let nodePins: PinnedNamespaces
    let nodeNetwork: String
    var leaseDirectory: String { directory + "/leases" }
    private var managers: [PodSandboxes] = []

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The node's resolver, as a test input: a loopback stub and a reachable one.
        try "nameserver 127.0.0.53\nnameserver 192.0.2.53\nsearch example.test\n".write(toFile: directory + "/resolv.conf", atomically: true, encoding: .utf8)
        try "127.0.0.1 localhost\n192.0.2.10 node-a\n".write(toFile: directory + "/hosts", atomically: true, encoding: .utf8)
        nodePins = PinnedNamespaces(runDirectory: directory + "/node")
        nodeNetwork = try nodePins.create(name: "node", kinds: [.network])[.network]!
    }

    /// Sandboxes on this node: `podCIDR` and `name` pick the network (one bridge each).
    func sandboxes(podCIDR: String = "10.242.0.0/24", name: String = "skiff", bridge: String = "skiff0", clusterDNS: [String] = ["10.43.0.10"]) -> PodSandboxes {
        let manager = PodSandboxes(
            network: DefaultNetwork.conflist(podCIDR: podCIDR, bridge: bridge, name: name, ipamDataDirectory: leaseDirectory),
            runDirectory: directory + "/run", stateDirectory: directory + "/state", pluginNetworkNamespace: nodeNetwork,
            clusterDNS: .init(nameservers: clusterDNS), nodeResolvConfPath: directory + "/resolv.conf", nodeHostsPath: directory + "/hosts")
        managers.append(manager)
        return manager
    }

    deinit {
        for manager in managers {
            for sandbox in manager.list() { try? manager.removeNow(id: sandbox.id) }
            for id in manager.orphans() { try? manager.removeNow(id: id) }
            try? manager.namespaces.removeDirectories()
        }
        try? nodePins.remove(name: "node")
        try? nodePins.removeDirectories()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a command in the given namespaces (nsenter enters, then execs it).
    @discardableResult
    func run(network: String? = nil, uts: String? = nil, _ command: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        process.arguments = (network.map { ["--net=\($0)"] } ?? []) + (uts.map { ["--uts=\($0)"] } ?? []) + ["--"] + command
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The leases host-local holds for `network`.
    func leases(_ network: String = "skiff") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(leaseDirectory)/\(network)")) ?? []
        return names.filter { $0.first?.isNumber == true && !$0.hasPrefix("last_reserved_ip") }.sorted()
    }

    /// Mounts under this fixture's directory, from this process's mount table.
    func mounts() -> [String] {
        ((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init).filter { $0.contains(directory) }
    }

    /// The machine's own links: the tests must never add one there.
    static func rootNamespaceLinks() -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? []))
    }
}

@Suite(.enabled(if: isRoot, "\(needsRootForNetwork)"), .serialized)
struct SandboxNetworkTests {
    func pod(_ name: String, hostPort: Int? = nil) -> PodSandboxConfig {
        PodSandboxConfig(
            uid: "\(name)-\(UUID().uuidString.prefix(8).lowercased())", namespace: "shop", name: name,
            portMappings: hostPort.map { [.init(hostPort: $0, containerPort: 8080)] } ?? [])
    }

    @Test func twoPodsGetTheirOwnAddressesAndReachEachOther() async throws {
        let linksBefore = SandboxFixture.rootNamespaceLinks()
        let fixture = try SandboxFixture()
        let sandboxes = fixture.sandboxes()
        let a = try await sandboxes.create(pod("web"))
        let b = try await sandboxes.create(pod("client"))
        let ipA = try #require(a.podIPs.first)
        let ipB = try #require(b.podIPs.first)
        #expect(ipA != ipB)
        #expect(ipA.hasPrefix("10.242.0.") && ipB.hasPrefix("10.242.0."))
        #expect(fixture.leases() == [ipA, ipB].sorted())
        #expect(a.network?.routes.contains { $0.dst == "0.0.0.0/0" } == true)

        // The bridge and the veths' node ends are in the test node's namespace.
        let nodeLinks = try fixture.run(network: fixture.nodeNetwork, ["ip", "-o", "addr", "show", "dev", "skiff0"])
        #expect(nodeLinks.output.contains("inet 10.242.0.1/24"), "\(nodeLinks.output)")
        #expect(SandboxFixture.rootNamespaceLinks() == linksBefore, "no link may appear in the machine's namespace")

        // In the pod: eth0 with its address, lo up, the pod's hostname in its UTS namespace.
        let netA = try #require(a.namespacePaths[.network])
        let addresses = try fixture.run(network: netA, ["ip", "-o", "addr", "show"]).output
        #expect(addresses.contains("eth0    inet \(ipA)/24"), "\(addresses)")
        #expect(addresses.contains("lo    inet 127.0.0.1/8"), "\(addresses)")
        let lo = try fixture.run(network: netA, ["ip", "-o", "link", "show", "lo"]).output
        #expect(lo.contains(",UP,"), "\(lo)")
        #expect(try fixture.run(uts: a.namespacePaths[.uts], ["hostname"]).output == "web\n")
        #expect(sandboxes.namespaces.isPinned(.ipc, name: a.id))

        // A pod serves, the other fetches, on pod addresses only.
        let site = fixture.directory + "/site"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try "hello from web\n".write(toFile: site + "/index.html", atomically: true, encoding: .utf8)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        server.arguments = ["--net=\(netA)", "--", "/bin/busybox", "httpd", "-f", "-p", "\(ipA):8080", "-h", site]
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        var fetched = ""
        // The server may not listen yet: ask until it answers (a refused connect is
        // quick). `timeout` guards against a hang; busybox wget's own -T crashes.
        for _ in 0..<100 where fetched.isEmpty {
            let reply = try fixture.run(network: b.namespacePaths[.network], ["timeout", "10", "/bin/busybox", "wget", "-q", "-O", "-", "http://\(ipA):8080/index.html"])
            if reply.status == 0 { fetched = reply.output } else { usleep(50_000) }
        }
        #expect(fetched == "hello from web\n")

        // The pod's files.
        let hosts = try String(contentsOfFile: a.hostsPath, encoding: .utf8)
        #expect(hosts.hasSuffix("\(ipA)\tweb\n"))
        #expect(try String(contentsOfFile: a.hostnamePath, encoding: .utf8) == "web\n")
        #expect(try String(contentsOfFile: a.resolvConfPath, encoding: .utf8) == """
            nameserver 10.43.0.10
            search shop.svc.cluster.local svc.cluster.local cluster.local example.test
            options ndots:5

            """)

        try await sandboxes.remove(id: a.id)
        try await sandboxes.remove(id: b.id)
        try await sandboxes.remove(id: b.id)   // again: nothing left is success
        #expect(fixture.leases().isEmpty)
        #expect(sandboxes.list().isEmpty)
        #expect(sandboxes.cni.cachedAttachments().isEmpty)
        for kind in PodNamespaceKind.allCases { #expect(sandboxes.namespaces.list(kind).isEmpty) }
        #expect(!fixture.mounts().contains { $0.contains("/\(a.id)") || $0.contains("/\(b.id)") }, "\(fixture.mounts())")
        let veths = try fixture.run(network: fixture.nodeNetwork, ["ip", "-o", "link", "show", "type", "veth"]).output
        #expect(veths.isEmpty, "\(veths)")
        try sandboxes.namespaces.removeDirectories()
        #expect(!fixture.mounts().contains { $0.contains("/run/") }, "\(fixture.mounts())")
    }

    @Test func aNodeOutOfAddressesSaysSoAndLeavesNothingBehind() async throws {
        let fixture = try SandboxFixture()
        // A /30 has one pod address: .1 is the bridge's.
        let sandboxes = fixture.sandboxes(podCIDR: "10.242.1.0/30", name: "tiny", bridge: "skiff1")
        let first = try await sandboxes.create(pod("first"))
        #expect(first.podIPs == ["10.242.1.2"])
        let refused = pod("refused")
        await #expect {
            _ = try await sandboxes.create(refused)
        } throws: { error in
            guard case .addressesExhausted(let network, let ranges, let message) = error as? SandboxError else { return false }
            return network == "tiny" && ranges == ["10.242.1.0/30"] && message.contains("no IP addresses available")
                && "\(error)".hasPrefix("the node is out of pod IP addresses")
        }
        // The failed pod left no record, pin, cache entry, lease or veth.
        #expect(sandboxes.list().map(\.id) == [first.id])
        #expect(sandboxes.orphans().isEmpty)
        #expect(fixture.leases("tiny") == ["10.242.1.2"])
        #expect(!fixture.mounts().contains { $0.contains(refused.uid) })
        let veths = try fixture.run(network: fixture.nodeNetwork, ["ip", "-o", "link", "show", "type", "veth"]).output
        #expect(veths.split(separator: "\n").count == 1, "\(veths)")
        // Freeing the address lets the next pod in.
        try await sandboxes.remove(id: first.id)
        let next = try await sandboxes.create(pod("next"))
        #expect(next.podIPs == ["10.242.1.2"])
        try await sandboxes.remove(id: next.id)
        #expect(fixture.leases("tiny").isEmpty)
    }

    @Test func aRestartedAgentFindsItsSandboxesAndRemovesThemFromTheCache() async throws {
        let fixture = try SandboxFixture()
        let before = fixture.sandboxes()
        let kept = try await before.create(pod("kept"))
        let lost = try await before.create(pod("lost"))
        // The agent restarts; one pod's record is lost with it.
        try FileManager.default.removeItem(atPath: "\(fixture.directory)/state/pods/\(lost.id)")
        let after = fixture.sandboxes()
        #expect(after.list().map(\.id) == [kept.id])
        #expect(after.list().first?.podIPs == kept.podIPs)
        #expect(after.orphans() == [lost.id])
        try await after.remove(id: lost.id)
        try await after.remove(id: kept.id)
        #expect(fixture.leases().isEmpty, "the DELs ran from the cache")
        #expect(after.orphans().isEmpty)
        #expect(!fixture.mounts().contains { $0.contains(kept.id) || $0.contains(lost.id) })
    }

    @Test func aHostPortReachesThePodThroughTheNode() async throws {
        let fixture = try SandboxFixture()
        let sandboxes = fixture.sandboxes()
        let web = try await sandboxes.create(pod("web", hostPort: 18080))
        let ip = try #require(web.podIPs.first)
        let site = fixture.directory + "/site"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try "via hostPort\n".write(toFile: site + "/index.html", atomically: true, encoding: .utf8)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        server.arguments = ["--net=\(web.namespacePaths[.network]!)", "--", "/bin/busybox", "httpd", "-f", "-p", "\(ip):8080", "-h", site]
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        // From the node's namespace to the node's own address (the bridge's), port 18080.
        var fetched = ""
        for _ in 0..<100 where fetched.isEmpty {
            let reply = try fixture.run(network: fixture.nodeNetwork, ["timeout", "10", "/bin/busybox", "wget", "-q", "-O", "-", "http://10.242.0.1:18080/index.html"])
            if reply.status == 0 { fetched = reply.output } else { usleep(50_000) }
        }
        #expect(fetched == "via hostPort\n")
        try await sandboxes.remove(id: web.id)
        let rules = try fixture.run(network: fixture.nodeNetwork, ["iptables-save", "-t", "nat"]).output
        #expect(!rules.contains("18080"), "portmap's DEL removed the hostPort rules: \(rules)")
    }

    @Test func aHostNetworkPodSharesTheNodesNetworkAndKeepsItsOwnIPC() async throws {
        let fixture = try SandboxFixture()
        let sandboxes = fixture.sandboxes(clusterDNS: [])
        let agent = try await sandboxes.create(PodSandboxConfig(uid: "agent-1", namespace: "kube-system", name: "agent", hostNetwork: true))
        #expect(agent.podIPs.isEmpty)
        #expect(Set(agent.namespacePaths.keys) == [.ipc])
        #expect(fixture.leases().isEmpty, "no CNI for the host network")
        #expect(try String(contentsOfFile: agent.hostsPath, encoding: .utf8).hasSuffix("192.0.2.10 node-a\n"))
        #expect(try String(contentsOfFile: agent.hostnamePath, encoding: .utf8) == String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8))
        // No cluster DNS: Default; on the node's network its loopback resolver is reachable, so it stays.
        #expect(try String(contentsOfFile: agent.resolvConfPath, encoding: .utf8).hasPrefix("nameserver 127.0.0.53\n"))
        try await sandboxes.remove(id: agent.id)
        #expect(sandboxes.namespaces.list(.ipc).isEmpty)
        try sandboxes.namespaces.removeDirectories()
    }

    @Test func aContainerJoinsThePodsNamespacesAndSeesItsFiles() async throws {
        let fixture = try SandboxFixture()
        let sandboxes = fixture.sandboxes()
        let web = try await sandboxes.create(pod("web"))
        let ip = try #require(web.podIPs.first)
        let containers = try RuntimeFixture()
        let probe = "hostname; cat /etc/hostname; grep web /etc/hosts; head -1 /etc/resolv.conf; /bin/busybox ip -o addr show eth0"
        let config = containers.config(["sh", "-c", probe]) { config in
            config.hostname = nil   // the pod's UTS namespace has it already
            config.namespaces = web.containerNamespaces
            config.mounts = web.containerMounts
        }
        let result = try await containers.run("in-pod", config)
        let output = result.log.map(logContent)
        #expect(result.exit.exitCode == 0, "\(output)")
        #expect(Array(output.prefix(4)) == ["web", "web", "\(ip)\tweb", "nameserver 10.43.0.10"])
        #expect(output.contains { $0.contains("eth0    inet \(ip)/24") }, "\(output)")
        try await sandboxes.remove(id: web.id)
        #expect(fixture.leases().isEmpty)
        #expect(!fixture.mounts().contains { $0.contains(web.id) })
    }
}
