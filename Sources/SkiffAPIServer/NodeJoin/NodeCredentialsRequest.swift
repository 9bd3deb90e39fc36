import SkiffAPI
import SkiffPKI

/// The body of `POST /v1-skiff/node-credentials`: the node's name (its Node
/// object's, so an RFC 1123 subdomain) and the addresses its kubelet serves on,
/// which the serving certificate must name for the API server to reach it.
public struct NodeCredentialsRequest: Hashable, Sendable, Codable {
    /// Enough for every address of a busy host; more is a mistake or an attack.
    static let maximumAddresses = 32

    public var nodeName: String
    public var addresses: [String]

    public init(nodeName: String, addresses: [String]) {
        self.nodeName = nodeName
        self.addresses = addresses
    }

    /// What is wrong with the request, worded for the agent's operator, or nil.
    var problem: String? {
        if nodeName.isEmpty { return "nodeName: Required value" }
        let nameErrors = Validation.isDNS1123Subdomain(nodeName)
        if !nameErrors.isEmpty {
            return "nodeName: Invalid value: \"\(nodeName)\": \(nameErrors.joined(separator: "; "))"
        }
        if addresses.isEmpty { return "addresses: Required value: the kubelet's IP addresses" }
        if addresses.count > Self.maximumAddresses {
            return "addresses: Too many: \(addresses.count): must have at most \(Self.maximumAddresses) items"
        }
        for (index, address) in addresses.enumerated() {
            guard let parsed = IPAddress(address) else {
                return "addresses[\(index)]: Invalid value: \"\(address)\": must be a valid IP address"
            }
            if parsed.isIPv6LinkLocal {
                return "addresses[\(index)]: Invalid value: \"\(address)\": a link-local address cannot be certified"
            }
        }
        return nil
    }
}
