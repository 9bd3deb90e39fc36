import Foundation
import Logging

/// The node's pod sandboxes: for each pod, its pinned namespaces, its CNI attachment
/// and its /etc files. State is on disk (records under `stateDirectory`, pins under
/// the run directory, CNI's cache), so a restarted agent lists what it made and
/// removes what no pod owns any more.
public final class PodSandboxes: Sendable {
    public let namespaces: PinnedNamespaces
    public let stateDirectory: String
    public let cni: CNIRunner
    /// The node's pod network (usually `DefaultNetwork.conflist(podCIDR:)`).
    public let network: CNINetworkList
    public let clusterDNS: PodDNS.Cluster
    /// The node's resolver settings, read when a pod's DNS is worked out.
    public let nodeResolvConfPath: String
    public let nodeHostsPath: String
    private let logger: Logger

    public init(
        network: CNINetworkList, runDirectory: String = SandboxDefaults.runDirectory,
        stateDirectory: String = SandboxDefaults.stateDirectory, pluginDirectories: [String] = SandboxDefaults.pluginDirectories,
        pluginNetworkNamespace: String? = nil, clusterDNS: PodDNS.Cluster = PodDNS.Cluster(),
        nodeResolvConfPath: String = "/etc/resolv.conf", nodeHostsPath: String = "/etc/hosts",
        logger: Logger = Logger(label: "skiff.sandbox")
    ) {
        self.network = network
        self.namespaces = PinnedNamespaces(runDirectory: runDirectory)
        self.stateDirectory = stateDirectory
        self.cni = CNIRunner(pluginDirectories: pluginDirectories, cacheDirectory: "\(stateDirectory)/cni-cache", pluginNetworkNamespace: pluginNetworkNamespace)
        self.clusterDNS = clusterDNS
        self.nodeResolvConfPath = nodeResolvConfPath
        self.nodeHostsPath = nodeHostsPath
        self.logger = logger
    }

    /// Makes the pod's sandbox: pinned namespaces (none for what it shares with the
    /// node), its CNI attachment, its hosts, resolv.conf and hostname files. All or
    /// nothing: on failure whatever was made is undone and the error says why (for a
    /// node out of addresses, `SandboxError.addressesExhausted`).
    public func create(_ config: PodSandboxConfig) async throws(SandboxError) -> PodSandbox {
        try await Self.offThePool { () throws(SandboxError) in try self.createNow(config) }
    }

    /// Undoes everything `create` made, also half-made sandboxes and ones whose
    /// record is gone; nothing to undo is success. When a CNI DEL fails the rest is
    /// kept, so the next call can retry it with the namespace still there.
    public func remove(id: String) async throws(SandboxError) {
        try await Self.offThePool { () throws(SandboxError) in try self.removeNow(id: id) }
    }

    /// The sandboxes with a record, ready or left half made.
    public func list() -> [PodSandbox] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "\(stateDirectory)/pods")) ?? []
        return ids.sorted().compactMap(sandbox(id:))
    }

    public func sandbox(id: String) -> PodSandbox? {
        guard let data = FileManager.default.contents(atPath: recordPath(id)) else { return nil }
        return try? JSONDecoder().decode(PodSandbox.self, from: data)
    }

    /// Ids with pinned namespaces or a CNI attachment but no record (the state directory
    /// was wiped, say): after a restart, `remove` each one no pod owns.
    public func orphans() -> [String] {
        let recorded = Set(list().map(\.id))
        var found = Set(PodNamespaceKind.allCases.flatMap { namespaces.list($0) })
        found.formUnion(cni.cachedAttachments().map(\.arguments.containerID))
        return found.subtracting(recorded).sorted()
    }

    // MARK: Work

    private func createNow(_ config: PodSandboxConfig) throws(SandboxError) -> PodSandbox {
        try PinnedNamespaces.validate(name: config.uid)
        guard sandbox(id: config.uid) == nil else { throw .sandboxExists(config.uid) }
        let directory = podDirectory(config.uid)
        var sandbox = PodSandbox(
            config: config, namespacePaths: [:], podIPs: [], network: nil, hostsPath: "\(directory)/hosts",
            resolvConfPath: "\(directory)/resolv.conf", hostnamePath: "\(directory)/hostname", ready: false)
        do throws(SandboxError) {
            // The record comes first: a crash from here on leaves something to remove.
            try save(sandbox)
            let kinds = config.pinnedKinds
            sandbox.namespacePaths = try namespaces.create(name: config.uid, kinds: kinds, hostname: config.hostNetwork ? nil : config.hostname)
            try save(sandbox)
            if let networkNamespace = sandbox.namespacePaths[.network] {
                let result = try cni.add(network: network, arguments: cniArguments(config, networkNamespace: networkNamespace))
                sandbox.network = result
                sandbox.podIPs = result.podIPs
            }
            try writeFiles(sandbox)
            sandbox.ready = true
            try save(sandbox)
            logger.info("pod sandbox created", metadata: ["pod": "\(config.namespace)/\(config.name)", "uid": "\(config.uid)", "ips": "\(sandbox.podIPs)"])
            return sandbox
        } catch {
            do throws(SandboxError) { try removeNow(id: config.uid) } catch let cleanup {
                logger.warning("pod sandbox cleanup after a failed create failed", metadata: ["uid": "\(config.uid)", "error": "\(cleanup)"])
            }
            throw error
        }
    }

    func removeNow(id: String) throws(SandboxError) {
        try PinnedNamespaces.validate(name: id)
        // The CNI cache is written before an ADD's first plugin runs, so it knows every
        // attachment to undo, also one of a network the node has since renamed.
        for attachment in cni.cachedAttachments() where attachment.arguments.containerID == id {
            try cni.delete(network: attachment.network, arguments: attachment.arguments)
        }
        try namespaces.remove(name: id)
        let directory = podDirectory(id)
        if FileManager.default.fileExists(atPath: directory) {
            do { try FileManager.default.removeItem(atPath: directory) } catch {
                throw .io("remove \(directory): \(error.localizedDescription)")
            }
        }
    }

    /// The kubelet's CNI_ARGS (host-local rejects unknown keys without IgnoreUnknown)
    /// and the pod's hostPorts for portmap.
    private func cniArguments(_ config: PodSandboxConfig, networkNamespace: String) -> CNIArguments {
        let pluginArguments: [CNIArguments.Argument] = [
            .init("IgnoreUnknown", "1"), .init("K8S_POD_NAMESPACE", config.namespace), .init("K8S_POD_NAME", config.name),
            .init("K8S_POD_INFRA_CONTAINER_ID", config.uid), .init("K8S_POD_UID", config.uid),
        ]
        var capabilities: [String: JSONValue] = [:]
        let mappings = config.portMappings
        if !mappings.isEmpty {
            capabilities["portMappings"] = .array(mappings.map { mapping in
                ["hostPort": .number(Double(mapping.hostPort)), "containerPort": .number(Double(mapping.containerPort)),
                 "protocol": .string(mapping.protocol.rawValue), "hostIP": .string(mapping.hostIP)]
            })
        }
        return CNIArguments(containerID: config.uid, networkNamespace: networkNamespace, pluginArguments: pluginArguments, capabilityArguments: capabilities)
    }

    private func writeFiles(_ sandbox: PodSandbox) throws(SandboxError) {
        let config = sandbox.config
        let hosts: String
        let hostname: String
        if config.hostNetwork {
            hosts = PodFiles.nodeHosts((try? String(contentsOfFile: nodeHostsPath, encoding: .utf8)) ?? "", aliases: config.hostAliases)
            hostname = Self.nodeHostname()
        } else {
            hosts = PodFiles.managedHosts(podIPs: sandbox.podIPs, hostname: config.hostname, domain: config.hostDomain, aliases: config.hostAliases)
            hostname = config.hostname
        }
        let dns = PodDNS(
            policy: config.dnsPolicy, config: config.dnsConfig, cluster: clusterDNS, node: nodeResolvConf(hostNetwork: config.hostNetwork),
            podNamespace: config.namespace, hostNetwork: config.hostNetwork)
        try write(hosts, to: sandbox.hostsPath)
        try write(dns.resolvConf, to: sandbox.resolvConfPath)
        try write(hostname + "\n", to: sandbox.hostnamePath)
    }

    /// The node's resolver settings as a pod can use them. In its own network
    /// namespace a pod cannot reach a resolver on the node's loopback; when that is all
    /// the node's file names (systemd-resolved's stub), its upstream list is used, as
    /// kubeadm points the kubelet at it.
    private func nodeResolvConf(hostNetwork: Bool) -> ResolvConf {
        let node = ResolvConf(parsing: (try? String(contentsOfFile: nodeResolvConfPath, encoding: .utf8)) ?? "")
        guard !hostNetwork else { return node }
        let reachable = node.reachableFromPods
        if reachable.nameservers.isEmpty && !node.nameservers.isEmpty,
           let upstream = try? String(contentsOfFile: "/run/systemd/resolve/resolv.conf", encoding: .utf8) {
            return ResolvConf(parsing: upstream).reachableFromPods
        }
        return reachable
    }

    /// The node's kernel hostname, as a hostNetwork pod sees it (gethostname: no DNS
    /// lookup, unlike Foundation's hostName).
    static func nodeHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Files

    private func podDirectory(_ id: String) -> String { "\(stateDirectory)/pods/\(id)" }
    private func recordPath(_ id: String) -> String { "\(podDirectory(id))/sandbox.json" }

    private func save(_ sandbox: PodSandbox) throws(SandboxError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try FileManager.default.createDirectory(atPath: podDirectory(sandbox.id), withIntermediateDirectories: true)
            try encoder.encode(sandbox).write(to: URL(fileURLWithPath: recordPath(sandbox.id)), options: .atomic)
        } catch {
            throw .io("write \(recordPath(sandbox.id)): \(error.localizedDescription)")
        }
    }

    private func write(_ text: String, to path: String) throws(SandboxError) {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .io("write \(path): \(error.localizedDescription)")
        }
    }

    /// Namespace calls and plugin runs block for a while: do them on a Dispatch thread,
    /// not on one of the few threads Swift concurrency shares.
    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws(SandboxError) -> T) async throws(SandboxError) -> T {
        let result: Result<T, SandboxError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(SandboxError) in try work() })
            }
        }
        return try result.get()
    }
}
