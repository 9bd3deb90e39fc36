import Foundation
import SkiffAPI
import SkiffProxy

/// The proxy benchmark's measurements (see ``BenchProxyCommand``).
struct ProxyBenchmark {
    let namespace: String
    let services: Int
    let additions: Int

    struct Result {
        var full: Double
        var add: Double
        var chains: Int
        /// Of `add`, the time spent updating or comparing the model and states (Skiff only).
        var diff: Double = 0
        /// Skiff nftables: the proxier's first model, from every Service and slice
        /// object (before the full sync, not counted in `full`).
        var model: Double = 0
    }

    static let cidr = IPCIDR("10.42.0.0/16")!

    /// Service i: 10.43.x.y:80 → 10.42.a.b:8080 and the next address.
    static func serviceIP(_ index: Int) -> IPAddress { IPAddress(family: .ipv4, value: IPAddress("10.43.0.0")!.value + UInt128(index) + 10) }
    static func endpoint(_ index: Int, _ which: Int) -> IPAddress { IPAddress(family: .ipv4, value: IPAddress("10.42.0.0")!.value + UInt128(index * 2 + which) + 2) }

    func model(_ count: Int) -> ProxyModel {
        var model = ProxyModel()
        for index in 0..<count {
            let address = ServiceAddress(address: Self.serviceIP(index), proto: .tcp, port: 80)
            model.clusterIPs[address] = .balance(
                backends: [Backend(address: Self.endpoint(index, 0), port: 8080), Backend(address: Self.endpoint(index, 1), port: 8080)],
                affinitySeconds: nil, masquerade: .outsideClusterCIDR)
            model.clusterIPNames[address] = "default/service-\(index)"
        }
        return model
    }

    /// What the proxier does: the model from the Service and EndpointSlice objects,
    /// a full sync; then per added Service its part of the model and a partial sync
    /// of the changes (the proxier's whole per-sync work but reading its caches).
    func skiff() throws -> Result {
        let backend = NFTablesBackend(
            transport: try NetfilterSocket(namespacePath: "/run/netns/" + namespace), clusterCIDR: Self.cidr)
        var model = IncrementalModel(builder: ModelBuilder(nodeName: "bench"))
        var unapplied = ModelChanges()
        let objects = (0..<services).map(Self.objects)
        let modelSeconds = try Self.time {
            for (service, slice) in objects {
                model.update(ServiceKey(service.metadata), service: service, slices: [slice], changes: &unapplied)
            }
        }
        let fullSeconds = try Self.time { try backend.sync(RulesetState(model: model.model), full: true) }
        let chains = BaseChainCount.value + (backend.applied?.shapes.count ?? 0)
        var adds: [Double] = []
        var diffs: [Double] = []
        for extra in 1...additions {
            let (service, slice) = Self.objects(services + extra - 1)
            var changes = ModelChanges()
            var report: SyncReport?
            var update = 0.0
            adds.append(try Self.time {
                update = try Self.time {
                    model.update(ServiceKey(service.metadata), service: service, slices: [slice], changes: &changes)
                }
                report = try backend.sync(changes)
            })
            diffs.append(update + (report?.diffSeconds ?? 0))
        }
        _ = try Self.shell("/usr/bin/nsenter", ["--net=/run/netns/" + namespace, "--", "/usr/sbin/nft", "delete", "table", "ip", "skiff"])
        return Result(full: fullSeconds, add: Self.median(adds), chains: chains, diff: Self.median(diffs), model: modelSeconds)
    }

    /// Service i and its slice, as the informers hold them.
    static func objects(_ index: Int) -> (Service, EndpointSlice) {
        var service = Service()
        service.metadata.name = "service-\(index)"
        service.metadata.namespace = "default"
        service.spec.clusterIP = "\(Self.serviceIP(index))"
        service.spec.ports = [ServicePort(name: nil, protocol: "TCP", port: 80, targetPort: .int(8080))]
        var slice = EndpointSlice()
        slice.metadata.name = "service-\(index)-abcde"
        slice.metadata.namespace = "default"
        slice.metadata.labels = [ModelBuilder.serviceNameLabel: "service-\(index)"]
        slice.addressType = "IPv4"
        var port = EndpointSlicePort()
        port.protocol = "TCP"
        port.port = 8080
        slice.ports = [port]
        slice.endpoints = (0..<2).map { which in
            var endpoint = Endpoint()
            endpoint.addresses = ["\(Self.endpoint(index, which))"]
            endpoint.conditions.ready = true
            return endpoint
        }
        return (service, slice)
    }

    /// Skiff's iptables backend: one `iptables-restore --noflush` per sync (the
    /// iptables on PATH, iptables-nft on Debian), a chain per Service and per endpoint.
    func iptables() async throws -> Result {
        let backend = IPTablesBackend(runner: IPTablesCommands(namespacePath: "/run/netns/" + namespace), clusterCIDR: Self.cidr)
        let full = model(services)
        let start = ContinuousClock.now
        _ = try await backend.apply(full, full: true)
        let fullSeconds = Self.seconds(since: start)
        var adds: [Double] = []
        var diffs: [Double] = []
        for extra in 1...additions {
            let desired = model(services + extra)
            let start = ContinuousClock.now
            let report = try await backend.apply(desired, full: false)
            adds.append(Self.seconds(since: start))
            diffs.append(report.diffSeconds)
        }
        let chains = backend.ruleset(for: full).perServiceChains
            + IPTablesRuleset.fixedChainCount
        for table in ["nat", "filter"] {
            _ = try Self.shell("/usr/bin/nsenter", ["--net=/run/netns/" + namespace, "--", "/usr/sbin/nft", "delete", "table", "ip", table])
        }
        return Result(full: fullSeconds, add: Self.median(adds), chains: chains, diff: Self.median(diffs))
    }

    /// kube-proxy's nftables shape: a chain per Service and one per endpoint.
    func upstream() throws -> Result {
        var text = """
            table ip kube {
              chain mark-for-masquerade { meta mark set meta mark | 0x4000; }
              chain nat-prerouting { type nat hook prerouting priority dstnat; policy accept; jump services; }
              chain services { ip daddr . meta l4proto . th dport vmap @service-ips; }

            """
        var elements: [String] = []
        for index in 0..<services {
            text += chains(index)
            elements.append("\(Self.serviceIP(index)) . tcp . 80 : goto service-\(index)")
        }
        text += "  map service-ips { type ipv4_addr . inet_proto . inet_service : verdict; elements = { "
            + elements.joined(separator: ", ") + " }; }\n}\n"
        let fullSeconds = try Self.time { try nft(text) }
        var adds: [Double] = []
        for extra in 0..<additions {
            let index = services + extra
            let one = "table ip kube {\n" + chains(index) + "}\n"
                + "add element ip kube service-ips { \(Self.serviceIP(index)) . tcp . 80 : goto service-\(index) }\n"
            adds.append(try Self.time { try nft(one) })
        }
        _ = try Self.shell("/usr/bin/nsenter", ["--net=/run/netns/" + namespace, "--", "/usr/sbin/nft", "delete", "table", "ip", "kube"])
        return Result(full: fullSeconds, add: Self.median(adds), chains: 3 + services * 3)
    }

    private func chains(_ index: Int) -> String {
        let ip = Self.serviceIP(index)
        var text = "  chain service-\(index) { ip daddr \(ip) tcp dport 80 ip saddr != 10.42.0.0/16 jump mark-for-masquerade; "
            + "numgen random mod 2 vmap { 0 : goto endpoint-\(index)-0, 1 : goto endpoint-\(index)-1 }; }\n"
        for which in 0..<2 {
            let endpoint = Self.endpoint(index, which)
            text += "  chain endpoint-\(index)-\(which) { ip saddr \(endpoint) jump mark-for-masquerade; "
                + "meta l4proto tcp dnat to \(endpoint):8080; }\n"
        }
        return text
    }

    private func nft(_ ruleset: String) throws {
        let file = NSTemporaryDirectory() + "skiff-bench-proxy-\(getpid()).nft"
        try ruleset.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = try Self.shell("/usr/bin/nsenter", ["--net=/run/netns/" + namespace, "--", "/usr/sbin/nft", "-f", file])
    }

    static func time(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start).seconds
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    static func seconds(since start: ContinuousClock.Instant) -> Double { (ContinuousClock.now - start).seconds }

    /// Runs a program to its end (the benchmark runs no server in this process).
    @discardableResult
    static func shell(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw CommandFailure("\(executable) \(arguments.prefix(6).joined(separator: " ")) failed: \(text.prefix(2000))")
        }
        return text
    }
}

/// The chains every `skiff` table has besides its shape chains.
enum BaseChainCount {
    static let value = 8
}
