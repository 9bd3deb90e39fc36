import Crypto

/// iptables chain names as upstream's kube-proxy makes them: a prefix and the first
/// 16 characters of the base32 SHA-256 of the Service port's name and protocol (and
/// endpoint), so a name fits iptables' 28 characters and stays the same across
/// restarts and nodes.
public enum ChainName {
    /// A Service port's balancer over all its endpoints.
    public static func service(_ portName: String, _ proto: L4Protocol) -> String {
        "KUBE-SVC-" + hash(portName + proto.rawValue)
    }

    /// A NodePort's own balancer, when its endpoints differ from the ClusterIP's
    /// (externalTrafficPolicy Local: this node's endpoints only).
    public static func local(_ portName: String, _ proto: L4Protocol) -> String {
        "KUBE-SVL-" + hash(portName + proto.rawValue)
    }

    /// A Service port's balancer over all its endpoints when its cluster IP's is not
    /// (internalTrafficPolicy Local), for the Local shortcut (Skiff's name; upstream
    /// keeps KUBE-SVC-* for that and gives the cluster IP a KUBE-SVL-*).
    public static func allEndpoints(_ portName: String, _ proto: L4Protocol) -> String {
        "KUBE-SVA-" + hash(portName + proto.rawValue)
    }

    /// A NodePort's entry: masquerade (or not), then its balancer.
    public static func external(_ portName: String, _ proto: L4Protocol) -> String {
        "KUBE-EXT-" + hash(portName + proto.rawValue)
    }

    /// A load balancer IP's source ranges: each allowed range jumps on to the `KUBE-EXT-*`.
    public static func firewall(_ portName: String, _ proto: L4Protocol) -> String {
        "KUBE-FW-" + hash(portName + proto.rawValue)
    }

    /// One endpoint of a Service port: hairpin masquerade and the DNAT.
    public static func endpoint(_ portName: String, _ proto: L4Protocol, _ backend: Backend) -> String {
        "KUBE-SEP-" + hash(portName + proto.rawValue + backend.description)
    }

    /// The prefixes of the chains that come and go with Services: a full sync
    /// deletes those of them that it no longer wants.
    static let perServicePrefixes = ["KUBE-SVC-", "KUBE-SVL-", "KUBE-SVA-", "KUBE-EXT-", "KUBE-FW-", "KUBE-SEP-"]

    static func isPerService(_ name: String) -> Bool { perServicePrefixes.contains { name.hasPrefix($0) } }

    /// base32 (RFC 4648 alphabet) of the digest's first 10 bytes: exactly 16 characters,
    /// the same as upstream's `base32.StdEncoding.EncodeToString(sha256(...))[:16]`.
    static func hash(_ text: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let digest = Array(SHA256.hash(data: Array(text.utf8)).prefix(10))
        var result = ""
        for group in stride(from: 0, to: 10, by: 5) {
            let bits = digest[group..<group + 5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            for index in (0..<8).reversed() { result.append(alphabet[Int(bits >> (UInt64(index) * 5) & 31)]) }
        }
        return result
    }
}
