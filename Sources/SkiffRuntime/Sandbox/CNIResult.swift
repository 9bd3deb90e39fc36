import Foundation

/// A CNI ADD result (spec 1.0.0; 0.3.x and 0.4.0 read the same): what the pod got.
public struct CNIResult: Sendable, Hashable, Codable {
    public var cniVersion: String
    public var interfaces: [Interface]
    public var ips: [IPConfig]
    public var routes: [Route]
    public var dns: DNS

    public struct Interface: Sendable, Hashable, Codable {
        public var name: String
        public var mac: String?
        /// The network namespace the interface is in; absent for the node's side.
        public var sandbox: String?
    }

    public struct IPConfig: Sendable, Hashable, Codable {
        /// CIDR notation: `10.42.0.5/24`.
        public var address: String
        public var gateway: String?
        /// Index into `interfaces`.
        public var interface: Int?
        /// The address without its prefix length.
        public var ip: String { String(address.prefix { $0 != "/" }) }
    }

    public struct Route: Sendable, Hashable, Codable {
        public var dst: String
        public var gw: String?
    }

    public struct DNS: Sendable, Hashable, Codable {
        public var nameservers: [String]
        public var domain: String?
        public var search: [String]
        public var options: [String]
        public init(nameservers: [String] = [], domain: String? = nil, search: [String] = [], options: [String] = []) {
            self.nameservers = nameservers
            self.domain = domain
            self.search = search
            self.options = options
        }
    }

    /// The pod's addresses: those on interfaces inside the sandbox (or on no named
    /// interface), in the plugin's order.
    public var podIPs: [String] {
        ips.filter { config in
            guard let index = config.interface, interfaces.indices.contains(index) else { return true }
            return interfaces[index].sandbox != nil
        }.map(\.ip)
    }

    /// Reads a plugin's result; fields the runtime does not use are ignored, missing
    /// lists are empty.
    public init(json: JSONValue) throws(SandboxError) {
        guard let object = json.objectValue else { throw .invalidConfig("CNI result is not a JSON object") }
        func strings(_ value: JSONValue?) -> [String] {
            guard case .array(let items)? = value else { return [] }
            return items.compactMap(\.stringValue)
        }
        cniVersion = object["cniVersion"]?.stringValue ?? ""
        var interfaces: [Interface] = []
        if case .array(let items)? = object["interfaces"] {
            for item in items {
                guard let name = item["name"]?.stringValue else { throw .invalidConfig("CNI result has an interface without a name") }
                interfaces.append(Interface(name: name, mac: item["mac"]?.stringValue, sandbox: item["sandbox"]?.stringValue))
            }
        }
        var ips: [IPConfig] = []
        if case .array(let items)? = object["ips"] {
            for item in items {
                guard let address = item["address"]?.stringValue, address.contains("/") else {
                    throw .invalidConfig("CNI result has an ip without an address in CIDR notation")
                }
                var index: Int?
                if case .number(let number)? = item["interface"] { index = Int(number) }
                ips.append(IPConfig(address: address, gateway: item["gateway"]?.stringValue, interface: index))
            }
        }
        var routes: [Route] = []
        if case .array(let items)? = object["routes"] {
            for item in items {
                guard let dst = item["dst"]?.stringValue else { throw .invalidConfig("CNI result has a route without dst") }
                routes.append(Route(dst: dst, gw: item["gw"]?.stringValue))
            }
        }
        let dns = object["dns"]
        self.interfaces = interfaces
        self.ips = ips
        self.routes = routes
        self.dns = DNS(
            nameservers: strings(dns?["nameservers"]), domain: dns?["domain"]?.stringValue,
            search: strings(dns?["search"]), options: strings(dns?["options"]))
    }
}

extension CNIPluginFailure {
    /// Reads a failed plugin's output: CNI's error JSON on stdout when it wrote one,
    /// else whatever it said (a crash, a Go panic on stderr).
    static func parse(network: String, plugin: String, command: String, exitStatus: Int32, stdout: [UInt8], stderr: [UInt8]) -> CNIPluginFailure {
        if let reply = JSONValue.parse(stdout), let message = reply["msg"]?.stringValue {
            var code: Int?
            if case .number(let number)? = reply["code"] { code = Int(number) }
            return CNIPluginFailure(network: network, plugin: plugin, command: command, code: code, message: message, details: reply["details"]?.stringValue)
        }
        let said = [stdout, stderr].map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        return CNIPluginFailure(
            network: network, plugin: plugin, command: command, code: nil,
            message: said.isEmpty ? "exited with status \(exitStatus) and no message" : said, details: nil)
    }

    /// host-local's answer when its ranges are full ("no IP addresses available in
    /// range set …"); the bridge plugin passes it on wrapped in its own words.
    var isAddressExhaustion: Bool { message.contains("no IP addresses available") }
}
