/// The files a pod's containers see at /etc/hosts and /etc/hostname, as the kubelet
/// writes them (it bind-mounts its own copies rather than trusting the image's).
public enum PodFiles {
    /// A host alias from the pod's `hostAliases`.
    public struct HostAlias: Sendable, Hashable, Codable {
        public var ip: String
        public var hostnames: [String]
        public init(ip: String, hostnames: [String]) {
            self.ip = ip
            self.hostnames = hostnames
        }
    }

    /// The kubelet's managed hosts file: localhost lines, then each pod IP with the
    /// pod's fully qualified name (when it has a subdomain) and hostname, then aliases.
    public static func managedHosts(podIPs: [String], hostname: String, domain: String?, aliases: [HostAlias]) -> String {
        var text = """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters

            """
        for ip in podIPs {
            if let domain, !domain.isEmpty {
                text += "\(ip)\t\(hostname).\(domain)\t\(hostname)\n"
            } else {
                text += "\(ip)\t\(hostname)\n"
            }
        }
        return text + aliasLines(aliases)
    }

    /// A hostNetwork pod sees the node's own hosts file, plus its aliases.
    public static func nodeHosts(_ nodeHosts: String, aliases: [HostAlias]) -> String {
        var text = "# Kubernetes-managed hosts file (host network).\n" + nodeHosts
        if !text.hasSuffix("\n") { text += "\n" }
        return text + aliasLines(aliases)
    }

    private static func aliasLines(_ aliases: [HostAlias]) -> String {
        guard !aliases.isEmpty else { return "" }
        return "\n# Entries added by HostAliases.\n" + aliases.map { "\($0.ip)\t\($0.hostnames.joined(separator: "\t"))\n" }.joined()
    }
}
