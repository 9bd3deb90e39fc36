import Foundation

/// The runtime's side of one attachment: which container, where its namespace is, and
/// what the runtime tells the plugins besides their configuration.
public struct CNIArguments: Sendable, Hashable, Codable {
    /// CNI_CONTAINERID: the sandbox id.
    public var containerID: String
    /// CNI_NETNS: the pod's network namespace file.
    public var networkNamespace: String
    /// CNI_IFNAME
    public var interfaceName: String
    /// CNI_ARGS, `KEY=VALUE` joined by `;` (the kubelet's K8S_POD_NAMESPACE and so on).
    public var pluginArguments: [Argument]
    /// Runtime settings by capability name (`portMappings`), for plugins that declare them.
    public var capabilityArguments: [String: JSONValue]

    public struct Argument: Sendable, Hashable, Codable {
        public var key: String
        public var value: String
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(
        containerID: String, networkNamespace: String, interfaceName: String = SandboxDefaults.interfaceName,
        pluginArguments: [Argument] = [], capabilityArguments: [String: JSONValue] = [:]
    ) {
        self.containerID = containerID
        self.networkNamespace = networkNamespace
        self.interfaceName = interfaceName
        self.pluginArguments = pluginArguments
        self.capabilityArguments = capabilityArguments
    }
}

/// Runs a CNI network list's plugins as libcni does: ADD in order with each result
/// handed to the next as `prevResult`; CHECK in order and DEL in reverse, both with the
/// cached ADD result. DEL works from the cache, so it needs only the attachment's key.
public struct CNIRunner: Sendable {
    public var pluginDirectories: [String]
    /// The ADD cache (libcni's `results/`).
    public var cacheDirectory: String
    /// A network namespace to run the plugins in (the node's, for an agent that runs
    /// outside it: tests, `skiff lab`); nil runs them in the agent's own.
    public var pluginNetworkNamespace: String?

    public init(pluginDirectories: [String] = SandboxDefaults.pluginDirectories, cacheDirectory: String, pluginNetworkNamespace: String? = nil) {
        self.pluginDirectories = pluginDirectories
        self.cacheDirectory = cacheDirectory
        self.pluginNetworkNamespace = pluginNetworkNamespace
    }

    var cache: CNIResultCache { CNIResultCache(directory: cacheDirectory) }

    /// Attaches the container to `network`. On failure the attachment may be half made
    /// (a veth without an address): call `delete` for it, as for a whole one.
    public func add(network: CNINetworkList, arguments: CNIArguments) throws(SandboxError) -> CNIResult {
        var entry = CNICacheEntry(network: network, arguments: arguments, result: nil)
        try cache.save(entry)
        var previous: JSONValue?
        for index in network.plugins.indices {
            let output = try invoke("ADD", network: network, plugin: index, arguments: arguments, previousResult: previous)
            guard let result = JSONValue.parse(output) else {
                throw .plugin(CNIPluginFailure(
                    network: network.name, plugin: network.plugins[index].type, command: "ADD", code: nil,
                    message: "the result is not JSON: \(String(decoding: output.prefix(200), as: UTF8.self))", details: nil))
            }
            previous = result
        }
        guard let previous else { throw .invalidConfig("CNI network list \(network.name) has no plugins") }
        let result = try CNIResult(json: previous)
        entry.result = previous
        try cache.save(entry)
        return result
    }

    /// Detaches the container from `network` (or from the network its ADD used, when
    /// the cache has it: the cached one wins, as it is what the ADD set up). Plugins
    /// answer success for state already gone, so this is safe after a failed or
    /// partial ADD and to repeat. The cache entry goes only once every plugin agreed.
    public func delete(network: CNINetworkList, arguments: CNIArguments) throws(SandboxError) {
        let cached = cache.load(network: network.name, containerID: arguments.containerID, interface: arguments.interfaceName)
        let network = cached?.network ?? network
        var arguments = cached?.arguments ?? arguments
        // A namespace that no longer exists (after a reboot) or was never pinned is
        // passed as none: plugins then release what lives outside it (addresses, rules).
        if !LinuxNamespaceCalls.isNamespaceFile(arguments.networkNamespace) { arguments.networkNamespace = "" }
        for index in network.plugins.indices.reversed() {
            _ = try invoke("DEL", network: network, plugin: index, arguments: arguments, previousResult: cached?.result)
        }
        try cache.remove(network: network.name, containerID: arguments.containerID, interface: arguments.interfaceName)
    }

    /// Asks every plugin whether the attachment is still as the ADD left it.
    public func check(network: CNINetworkList, arguments: CNIArguments) throws(SandboxError) {
        guard let cached = cache.load(network: network.name, containerID: arguments.containerID, interface: arguments.interfaceName),
              let result = cached.result
        else { throw .invalidConfig("no cached ADD result for \(arguments.containerID) on \(network.name) to check against") }
        for index in cached.network.plugins.indices {
            _ = try invoke("CHECK", network: cached.network, plugin: index, arguments: cached.arguments, previousResult: result)
        }
    }

    /// The cached attachments, for reconciling after a restart.
    public func cachedAttachments() -> [CNICacheEntry] { cache.entries() }

    /// The cached attachment of `containerID`, if any.
    public func cachedAttachment(network: String, containerID: String, interface: String = SandboxDefaults.interfaceName) -> CNICacheEntry? {
        cache.load(network: network, containerID: containerID, interface: interface)
    }

    private func invoke(_ command: String, network: CNINetworkList, plugin index: Int, arguments: CNIArguments, previousResult: JSONValue?) throws(SandboxError) -> [UInt8] {
        let type = network.plugins[index].type
        guard let executable = pluginDirectories.map({ "\($0)/\(type)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw .pluginNotFound(type: type, directories: pluginDirectories)
        }
        let input = network.pluginInput(index, previousResult: previousResult, capabilityArguments: arguments.capabilityArguments)
        let process = CNIPluginProcess(executable: executable, environment: environment(command, arguments), networkNamespace: pluginNetworkNamespace)
        let output = try process.run(stdin: input.encoded())
        guard output.succeeded else {
            let failure = CNIPluginFailure.parse(
                network: network.name, plugin: type, command: command, exitStatus: output.status, stdout: output.stdout, stderr: output.stderr)
            if command == "ADD" && failure.isAddressExhaustion {
                throw .addressesExhausted(network: network.name, ranges: network.ipamSubnets, message: failure.message)
            }
            throw .plugin(failure)
        }
        return output.stdout
    }

    private func environment(_ command: String, _ arguments: CNIArguments) -> [String] {
        // Plugins run iptables and the like by name: hand on the agent's PATH.
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        return [
            "CNI_COMMAND=\(command)",
            "CNI_CONTAINERID=\(arguments.containerID)",
            "CNI_NETNS=\(arguments.networkNamespace)",
            "CNI_IFNAME=\(arguments.interfaceName)",
            "CNI_ARGS=\(arguments.pluginArguments.map { "\($0.key)=\($0.value)" }.joined(separator: ";"))",
            "CNI_PATH=\(pluginDirectories.joined(separator: ":"))",
            "PATH=\(path)",
        ]
    }
}
