import Foundation

/// A CNI network configuration list (a `.conflist`): the network's name, the CNI
/// version the runtime speaks to its plugins, and the plugins, run in order on ADD.
public struct CNINetworkList: Sendable, Hashable, Codable {
    public var cniVersion: String
    public var name: String
    public var plugins: [CNIPlugin]

    /// The versions whose results this runtime reads (0.3.x and 0.4.0 write `ips`
    /// with a `version` field, 1.0.0 without; the rest is the same).
    public static let supportedVersions: Set<String> = ["0.3.0", "0.3.1", "0.4.0", "1.0.0"]

    /// One plugin's configuration as written, plus what the runtime reads from it.
    public struct CNIPlugin: Sendable, Hashable, Codable {
        /// Everything the conflist says about the plugin, handed to it as written.
        public var configuration: [String: JSONValue]
        /// The plugin's executable name, looked up in the plugin directories.
        public var type: String { configuration["type"]?.stringValue ?? "" }
        /// Runtime-supplied settings the plugin accepts (`"capabilities": {"portMappings": true}`).
        public var capabilities: Set<String> {
            guard case .object(let map)? = configuration["capabilities"] else { return [] }
            return Set(map.compactMap { $0.value == .bool(true) ? $0.key : nil })
        }
    }

    /// Parses and checks a conflist.
    public init(json: [UInt8]) throws(SandboxError) {
        guard let document = JSONValue.parse(json)?.objectValue else {
            throw .invalidConfig("CNI network list is not a JSON object")
        }
        guard let name = document["name"]?.stringValue, name.wholeMatch(of: /[a-zA-Z0-9][a-zA-Z0-9_.\-]*/) != nil else {
            throw .invalidConfig("CNI network list needs a name of letters, digits, _ . - (starting with a letter or digit)")
        }
        guard let version = document["cniVersion"]?.stringValue else {
            throw .invalidConfig("CNI network list \(name) has no cniVersion")
        }
        guard Self.supportedVersions.contains(version) else {
            throw .invalidConfig("CNI network list \(name) has cniVersion \(version); supported: \(Self.supportedVersions.sorted().joined(separator: ", "))")
        }
        guard case .array(let entries)? = document["plugins"], !entries.isEmpty else {
            throw .invalidConfig("CNI network list \(name) has no plugins")
        }
        var plugins: [CNIPlugin] = []
        for (index, entry) in entries.enumerated() {
            guard let configuration = entry.objectValue else { throw .invalidConfig("plugin \(index) of \(name) is not an object") }
            let plugin = CNIPlugin(configuration: configuration)
            // A type is an executable's name in the plugin directories, never a path.
            guard !plugin.type.isEmpty, !plugin.type.contains("/"), plugin.type != ".", plugin.type != ".." else {
                throw .invalidConfig("plugin \(index) of \(name) has no usable type")
            }
            plugins.append(plugin)
        }
        self.init(cniVersion: version, name: name, plugins: plugins)
    }

    /// Reads and parses a conflist file.
    public init(contentsOf path: String) throws(SandboxError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .io("cannot read CNI network list \(path)") }
        do throws(SandboxError) { try self.init(json: Array(data)) } catch {
            throw .invalidConfig("\(path): \(error)")
        }
    }

    public init(cniVersion: String, name: String, plugins: [CNIPlugin]) {
        self.cniVersion = cniVersion
        self.name = name
        self.plugins = plugins
    }

    /// The subnets of the host-local ranges in the list, to name in an out-of-addresses error.
    var ipamSubnets: [String] {
        plugins.flatMap { plugin -> [String] in
            guard case .object(let ipam)? = plugin.configuration["ipam"] else { return [] }
            var subnets: [String] = []
            if case .array(let sets)? = ipam["ranges"] {
                for case .array(let ranges) in sets {
                    subnets += ranges.compactMap { $0["subnet"]?.stringValue }
                }
            }
            if let subnet = ipam["subnet"]?.stringValue { subnets.append(subnet) }
            return subnets
        }
    }

    /// What plugin `index` reads on stdin, as libcni builds it: its own configuration
    /// with the list's `name` and `cniVersion`, the previous plugin's result (on ADD,
    /// or the cached ADD result on CHECK and DEL), and, in `runtimeConfig`, only the
    /// runtime's settings for capabilities the plugin declared.
    func pluginInput(_ index: Int, previousResult: JSONValue?, capabilityArguments: [String: JSONValue]) -> JSONValue {
        let plugin = plugins[index]
        var input = plugin.configuration
        input["name"] = .string(name)
        input["cniVersion"] = .string(cniVersion)
        if let previousResult { input["prevResult"] = previousResult }
        let runtimeConfig = capabilityArguments.filter { plugin.capabilities.contains($0.key) }
        if !runtimeConfig.isEmpty { input["runtimeConfig"] = .object(runtimeConfig) }
        return .object(input)
    }
}
