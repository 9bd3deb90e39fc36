/// A route to another node's pods: its podCIDR through its InternalIP (host-gw).
public struct PodRoute: Hashable, Sendable, CustomStringConvertible {
    /// The destination network, four bytes and a prefix length.
    public var destination: [UInt8]
    public var prefixLength: Int
    public var gateway: [UInt8]

    public init(destination: [UInt8], prefixLength: Int, gateway: [UInt8]) {
        self.destination = destination
        self.prefixLength = prefixLength
        self.gateway = gateway
    }

    /// `cidr` as "10.42.1.0/24" and `gateway` as "192.168.1.12"; nil unless both are IPv4.
    public init?(cidr: String, gateway: String) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let length = Int(parts[1]), (0...32).contains(length),
              let network = Self.ipv4(parts[0]), let via = Self.ipv4(Substring(gateway))
        else { return nil }
        self.init(destination: Self.masked(network, length), prefixLength: length, gateway: via)
    }

    public var description: String {
        "\(destination.map(String.init).joined(separator: "."))/\(prefixLength) via \(gateway.map(String.init).joined(separator: "."))"
    }

    static func ipv4(_ text: Substring) -> [UInt8]? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        return octets.count == 4 && text.split(separator: ".").count == 4 ? octets : nil
    }

    /// The network address: host bits cleared, as the kernel requires of a route.
    static func masked(_ address: [UInt8], _ length: Int) -> [UInt8] {
        address.enumerated().map { index, byte in
            let bits = max(0, min(8, length - index * 8))
            return bits == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        }
    }
}
